"""A worker killed with SIGKILL between the platform's answer and its commit never posts twice:
X (our reply found again on our own timeline) and Facebook (among the comment's replies)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable

from doubles_http import DoubleServer
from doubles_meta import GraphDouble
from doubles_social_world import SocialWorld, make_social_world
from doubles_x import XDouble
from google_world import command_env
from sqlalchemy import func, select

from safereply.connectors.base import Credentials
from safereply.store.models import PublishedReply

PAGE = "1001"
ME = "42"


def _env(world: SocialWorld) -> dict[str, str]:
    return command_env(
        world.settings,
        SAFEREPLY_META_GRAPH_API=world.settings.meta_graph_api,
        SAFEREPLY_X_API=world.settings.x_api,
    )


def _kill_between_answer_and_commit(
    world: SocialWorld, server: DoubleServer, path: str, posted: Callable[[], int]
) -> None:
    """Run ``worker --once``; freeze it when it posts, let the platform answer, kill it."""
    command = [sys.executable, "-m", "safereply", "worker", "--once"]
    worker = subprocess.Popen(
        command, env=_env(world), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    server.hook(
        "POST",
        path,
        before=lambda r: os.kill(worker.pid, signal.SIGSTOP),
        after=lambda r: os.kill(worker.pid, signal.SIGKILL),
    )
    worker.communicate(timeout=180)
    assert worker.returncode == -signal.SIGKILL
    assert posted() == 1  # the platform has the reply
    server.hooks.clear()


def _published_count(world: SocialWorld) -> int:
    with world.store.read() as s:
        return s.scalar(select(func.count()).select_from(PublishedReply))


def _run_worker_again(world: SocialWorld) -> dict:
    command = [sys.executable, "-m", "safereply", "worker", "--once"]
    again = subprocess.run(command, env=_env(world), capture_output=True, text=True, timeout=180)
    assert again.returncode == 0, again.stderr
    return json.loads(again.stdout.splitlines()[-1])


def test_x_worker_killed_after_x_answered_never_posts_twice(tmp_path):
    double = XDouble(me=ME)
    with DoubleServer(double) as server:
        creds = Credentials(
            client_id="x-client", access_token="x-access-1", refresh_token="x-refresh-1"
        )
        world = make_social_world(tmp_path, "x", server.url, ME, creds)
        try:
            mention = double.mention("@riversidedental thank you for fitting me in")
            world.sync()
            pid = world.approve_acknowledgement(mention)
            _kill_between_answer_and_commit(
                world, server, r"^/2/tweets$", lambda: len(double.our_replies_to(mention))
            )
            assert world.post(mention).state == "approved" and _published_count(world) == 0
            summary = _run_worker_again(world)
            assert {"post": pid, "status": "published", "retry_after": None} in summary["published"]
            assert len(double.our_replies_to(mention)) == 1  # read back, never posted twice
            assert len(server.requests("POST", r"^/2/tweets$")) == 1
            assert world.post(mention).state == "published" and _published_count(world) == 1
        finally:
            world.store.dispose()


def test_facebook_worker_killed_after_meta_answered_never_posts_twice(tmp_path):
    double = GraphDouble("facebook", owner_id=PAGE)
    with DoubleServer(double) as server:
        double.base_url = server.url
        world = make_social_world(
            tmp_path,
            "facebook",
            f"{server.url}/v26.0",
            PAGE,
            Credentials(access_token="page-token-1"),
        )
        try:
            comment = double.add_comment(double.add_root("p"), "Lovely new office")
            world.sync()
            pid = world.approve_acknowledgement(comment)
            _kill_between_answer_and_commit(
                world,
                server,
                rf"/{comment}/comments$",
                lambda: len(double.replies_by_owner(comment)),
            )
            assert world.post(comment).state == "approved" and _published_count(world) == 0
            summary = _run_worker_again(world)
            assert {"post": pid, "status": "published", "retry_after": None} in summary["published"]
            assert len(double.replies_by_owner(comment)) == 1
            assert len(server.requests("POST", rf"/{comment}/comments$")) == 1
            assert world.post(comment).state == "published" and _published_count(world) == 1
        finally:
            world.store.dispose()
