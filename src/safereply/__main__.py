import sys

from safereply.cli.main import main

sys.exit(main())
