"""Emergency and crisis patterns for Spanish and Spanish-English posts.

Written over normalised text with the accents folded (``language.fold``: "está" -> "esta",
"daño" -> "dano"), so a poster who types no accents is read like one who does. They run next to
the English rules of ``rules.py`` on every post (a Spanish-English post needs both) and give the
same short English reasons, which is what staff read. As with the English rules, each pattern is
a construct (a verb form with its object, a symptom with its body part), not a list of phrases:
"no puede respirar", "le cuesta respirar", "no podía respirar" are one pattern.

Conventions: ``(?:me|te|le|se|nos|les)`` is whoever the post is about; verbs are written with
their common forms and misspellings ("convulsionando", "convulcionando", "kiero", "suisidio").

Figures of speech are masked first (``FIGURES``, as in ``rules._FIGURES``): "me muero de risa",
"casi me da un infarto con la cuenta", "me ahogo en papeles". Past markers (``PAST``) soften the
emergency rules exactly as the English ones do: "hace dos años se ahogó con una uva" is a story.
"""

from __future__ import annotations

import re

__all__ = [
    "CANT_GO_ON_CONTEXT",
    "CANT_GO_ON_ES",
    "COMPLAINT_STRONG_ES",
    "COMPLAINT_WEAK_ES",
    "CRISIS_ES",
    "EMERGENCY_ES",
    "FIGURES_ES",
    "PAST_ES",
    "PRAISE_ES",
    "PRESENT_ES",
    "TOPIC_CUES_ES",
]

_WHO = r"(?:me|te|le|se|nos|les|lo|la)"
_CAN = r"(?:puede|puedo|puedes|pueden|podemos|podia|podian|pudo|pude)"
_PILLS = (
    r"(?:pastillas?|pildoras?|tabletas?|capsulas?|medicinas?|medicamentos?|pills|meds|"
    r"tylenol|paracetamol|ibuprofeno|aspirinas?|clonazepam|xanax|insulina)"
)
_POISON = (
    r"(?:cloro|clorox|lejia|detergente|jabon de ropa|veneno|raticida|matarratas|gasolina|"
    r"thinner|tiner|aguarras|limpiador|destapa\w*|insecticida|pesticida|anticongelante|acido|"
    r"sosa|blanqueador|petroleo|queroseno|keroseno|aceite de (?:la )?(?:lampara|antorcha)|"
    r"creolina|pinol|fabuloso|amoniaco|"
    r"liquido de (?:frenos|encendedor)|alcohol (?:de quemar|etilico|en gel))"
)
_KID = r"(?:hij[oa]|nin[oa]|nene|nena|bebe|bebita|bebito|baby|chiquit[oa])"
#: Signs of a dried-out child (session 10): no urine, sunken eyes, no tears, a dry mouth.
_DRY = (
    r"no (?:ha )?(?:hecho pipi|orinado|hecho del uno|meado)|ojos hundidos|ojitos hundidos|"
    r"sin lagrimas|no le salen lagrimas|boca (?:bien |muy )?seca|labios (?:bien |muy )?secos"
)
#: Intent forms: "quiero", "me voy a", "pienso", misspelt "kiero".
_I_WANT = (
    r"(?:quiero|kiero|qiero|quisiera|queria|voy a|ire a|pienso|estoy pensando en|he pensado en|"
    r"tengo ganas de|me dan ganas de|ganas de|deseo|desearia|me gustaria|necesito)"
)
_SELF_END = (
    r"(?:matarme|suicidarme|suisidarme|morirme|quitarme la vida|colgarme|ahorcarme|"
    r"tirarme|aventarme|lanzarme|cortarme las venas|desaparecer|morir)"
)

#: (reason, pattern) pairs, compiled by ``rules.py``.
EMERGENCY_ES: tuple[tuple[str, str], ...] = (
    (
        # Session 5, after the blind2 measurement: an assault with bleeding or strong pain, and
        # dizziness with a heart that beats slow or fast (a dose taken twice), in either language.
        "mentions an assault with an injury",
        r"\b(?:me|la|lo|le) (?:golpe(?:o|aron)|peg(?:o|aron)|pate(?:o|aron)|apunal\w+|"
        r"acuchill\w+|ahorc\w+|estrangul\w+)\b[^.!?]{0,120}?\b(?:sangr\w+|(?:me |le )?duele "
        r"(?:mucho|muchisimo)|no (?:puedo|puede) respirar)|"
        r"\b(?:hit|beat|kicked|stabbed|choked|strangled|punched) (?:me|her|him)\b[^.!?]{0,120}?"
        r"\b(?:bleeding|hurts? (?:so |really )?(?:bad|badly|a lot)|can'?t breathe)",
    ),
    (
        "mentions dizziness with a heart rhythm problem",
        r"^(?=.*\b(?:maread[oa]|mareos?|dizzy|lightheaded|faint(?:ing)?|desmay\w*)\b)"
        r"(?=.*\b(?:corazon|heart)\b[^.!?]{0,25}\b(?:late|latiendo|beat(?:ing|s)?|is) "
        r"(?:muy |so |really )?(?:lento|despacio|slow(?:ly)?|rapidisimo|racing|raro|weird)\b)",
    ),
    (
        "mentions chest pain",
        r"\bdolor (?:\w+ ){0,2}(?:de|en el|del) pecho\b|"
        rf"\b{_WHO} (?:\w+ )?duele(?:n)? (?:\w+ ){{0,2}}(?:el|su|mi) pecho\b|"
        r"\b(?:presion|opresion|apreton|peso|ardor|punzada|piedra)\w* (?:\w+ ){0,3}"
        r"(?:en|sobre) (?:el|su|mi) pecho\b|"
        r"\bpecho\b[^.!?]{0,30}\b(?:apret\w+|oprim\w+|pesad\w+|presion|como si)\b",
    ),
    (
        "mentions heart-attack signs",
        r"\b(?:infarto|ataque (?:al|del) corazon|ataque cardiaco|preinfarto)\b|"
        r"\b(?:brazo|hombro) izquierdo\b",
    ),
    (
        "mentions cardiac arrest",
        r"\bparo (?:cardiaco|cardio\w*|respiratorio)\b|\bno (?:tiene|le (?:siento|encuentro)) "
        r"pulso\b|\b(?:dando|dandole|le damos|hacer|haciendo) (?:rcp|reanimacion)\b",
    ),
    (
        "mentions trouble breathing",
        rf"\bno (?:\w+ )?{_CAN} (?:ni )?(?:\w+ )?respirar\b|"
        r"\b(?:me|te|le|les|nos) cuesta (?:\w+ )?respirar\b|"
        r"\b(?:dificultad|problemas?|trabajo|batalla) (?:para |al )?respirar\b|"
        r"\b(?:me|te|le|les|nos) falta (?:\w+ )?(?:el )?(?:aire|aliento|respiracion)\b|"
        r"\bfalta de (?:aire|aliento)\b|\bno respira\w*\b|\b(?:dejo|deja|dejaba) de "
        r"respirar\b|\brespir\w+ (?:\w+ ){0,2}(?:rapido|raro|feo|fuerte|agitad\w+)\b|"
        r"\brespir\w+ (?:muy |bien |super )?mal\b|"
        r"\brespir\w+ con (?:\w+ )?(?:dificultad|ruido|trabajo|silbido)\b|"
        r"\bse (?:le )?(?:hunde|hunden|marcan) "
        r"(?:el pech(?:o|ito)|las costill(?:as|itas))\b|\bduele (?:al|para) respirar\b|"
        r"\bataque de asma\b|\binhalador\b[^.!?]{0,30}\bno (?:le |me )?(?:funciona|hace nada|"
        r"sirve|ayuda)",
    ),
    (
        "mentions trouble breathing",
        r"\b(?:me|te|se|nos) (?:\w+ )?(?:esta |estoy |estaba )?(?:ahog\w+|atragant\w+|"
        r"asfixi\w+|atora\w*|atoro)\b|\b(?:ahogando|asfixiando|atragantando)\b|"
        r"\bse (?:le|me) (?:atoro|atora|atasco|trabo) (?:\w+ ){0,4}(?:en )?(?:la )?garganta\b",
    ),
    (
        "mentions trouble breathing",
        r"\b(?:labios|boca|cara|piel|unas|lengua)\b[^.!?]{0,20}\b(?:azul\w*|morad\w*)\b|"
        r"\b(?:poniendo|puso|pone|esta|se ve|se veia) (?:\w+ )?(?:azul|morad[oa])\b"
        r"(?![^.!?]{0,15}\b(?:el brazo|la pierna|la piel del brazo|moreton|golpe))",
    ),
    (
        "mentions a severe allergic reaction",
        r"\banafila\w*|\breaccion alergica\b|\bchoque anafilactico\b|"
        r"\bse (?:me|le|te|nos|les) (?:esta |estan )?(?:hinch\w+|cerr\w+|inflam\w+) "
        r"(?:\w+ )?(?:la |el |los |las |mi |su )?(?:garganta|lengua|labios?|cara|boca|ojos?|"
        r"parpados)\b|"
        r"\b(?:garganta|lengua|labios?|boca|parpados)\b[^.!?]{0,25}\b(?:hinchad\w*|inflamad\w*|"
        r"cerrad\w*|cerrando|hinchando|hincho|hincharon)\b|"
        r"\b(?:puse|pusimos|use|usamos|inyecte|pusieron|ponerle|usar) (?:\w+ ){0,2}epi ?pen\b|"
        r"\bronchas\b[^.!?]{0,50}\b(?:respir\w*|garganta|hinch\w*|tos\w*|todo el cuerpo)\b",
    ),
    (
        "mentions spreading swelling",
        r"\bhincha\w*[^.!?]{0,50}\b(?:cuello|ojo|garganta)\b|"
        rf"\bno {_CAN} (?:ni )?(?:\w+ )?(?:tragar|abrir (?:la boca|el ojo))\b|"
        r"\b(?:cara|cachete|mejilla|encia)\b[^.!?]{0,40}\b(?:hinchad\w*|hinchando)\b"
        r"[^.!?]{0,40}\b(?:fiebre|tragar|respirar|ojo|cuello)\b",
    ),
    (
        "mentions stroke signs",
        r"\b(?:derrame (?:cerebral)?|embolia|ictus|accidente (?:cerebro)?vascular)\b|"
        r"\b(?:cara|boca|sonrisa) (?:\w+ )?(?:caida|chueca|torcida|ladeada|dormida|"
        r"paralizada|de lado)\b|"
        r"\bse (?:le|me) (?:\w+ )?(?:cayo|durmio|adormecio|paralizo|entumio|torcio) "
        r"(?:(?:la mitad|medio lado|un lado|el lado(?: \w+)?) del? )?(?:la |el )?"
        r"(?:cara|boca|cuerpo|lado)\b|"
        r"\bse (?:le|me) (?:durmio|adormecio|paralizo|entumio) (?:\w+ ){0,4}(?:cara|boca|lengua)\b|"
        r"\bde repente\b[^.!?]{0,40}\b(?:dormid\w+|adormec\w+|paraliz\w+|entumi\w+)|"
        r"\b(?:durmio|dormid[oa]|adormec\w+|paraliz\w+|entumi\w+)\b[^.!?]{0,40}\bde repente\b|"
        r"\b(?:mitad|lado) (?:\w+ ){0,3}(?:dormid\w+|adormec\w+|paraliz\w+|entumid\w+|"
        r"sin fuerza)\b|"
        rf"\bno {_CAN} mover (?:\w+ ){{0,2}}(?:brazo|pierna|lado|cara|mano|boca)\b|"
        rf"\bno {_CAN} hablar(?= bien| claro|\s*[,.!?]|$| y\b| ni\b| de repente)|"
        r"\bhabla (?:muy )?(?:raro|mal|chistoso|trabado|arrastrado)\b|"
        r"\barrastra (?:las palabras|la lengua)\b|\bno se le entiende\b",
    ),
    (
        "mentions the worst headache",
        r"\b(?:el )?peor dolor de cabeza\b|\bdolor de cabeza (?:\w+ ){0,3}de repente\b|"
        r"\bde repente (?:\w+ ){0,4}dolor de cabeza\b",
    ),
    (
        "mentions a seizure",
        r"\bconvul\w+|\bconbul\w+|\bataque (?:de )?(?:epilepsia|epileptico)\b|"
        r"\b(?:le|me|te|les) (?:dio|da|dan|esta dando|dieron) (?:un |una )?(?:ataque|"
        r"convulsion)\b|\bse le (?:voltearon|fueron) los ojos\b",
    ),
    (
        "mentions loss of consciousness",
        r"\bdesmay\w+|\bdesvanec\w+|\bdesplom\w+|\binconsciente\b|"
        r"\bperdi\w* (?:el )?(?:conocimiento|sentido)\b|"
        r"\b(?:no|ni) (?:\w+ )?(?:responde|reacciona|despierta|se despierta|contesta cuando)\b|"
        rf"\bno (?:lo|la|le|los|las) {_CAN} despertar\b",
    ),
    (
        "mentions heavy bleeding",
        r"\bno (?:\w+ )?(?:para|deja|detiene|se detiene|se para|se quita|se corta|"
        r"paraba|dejaba|ha parado) (?:\w+ )?(?:de )?sangr\w*|"
        r"\bsangr\w+\b[^.!?]{0,60}\b(?:no (?:para|se detiene|se para|se quita|deja|se corta|"
        r"ha parado|paraba)|sin parar|muchisimo|demasiado|a chorros|abundante)\b|"
        r"\bsangr\w+ (?:\w+ )?mucho\b|"
        r"\b(?:mucha|muchisima|tanta|demasiada) sangre\b|\bsangre a chorros\b|"
        r"\bhemorragia\b|\bdesangr\w+|\bsangrado (?:\w+ )?(?:abundante|fuerte|mucho|que no)\b|"
        r"\b(?:embarazada|embarazo)\b[^.!?]{0,40}\bsangr\w+|\bse me rompio la fuente\b|"
        r"\b(?:llen\w+|empap\w+) (?:\w+ ){0,3}(?:gasas?|toallas?)\b|"
        r"\b(?:gasas?|toallas?) (?:\w+ ){0,3}(?:llen|empapad)\w*|"
        # session 9: bleeding after an extraction or surgery that keeps coming
        r"\bno (?:\w+ )?(?:para|deja|dejaba|ha parado) de (?:salir|echar|brotar)(?:me|le|te|nos)? "
        r"sangre\b|\b(?:boca|hueco|herida|encia)\b[^.!?]{0,30}\b(?:se (?:me |le )?llena|llena|"
        r"llenando) de sangre\b|\bescup\w* (?:\w+ ){0,2}sangre (?:roja|fresca|a cada rato|"
        r"sin parar)\b",
    ),
    (
        "mentions an overdose",
        r"\bsobre ?dosis\b|"
        r"\b(?:tomo|tomaron|trago|comio|bebio|tome|trague|took|ate|swallowed) "
        r"(?:como |unas |unos |mas de |casi |like |about )?(?:\d+|todas?|todo el|un frasco|"
        r"el frasco|una caja|la caja|demasiad\w+|muchas|un monton|veinte|treinta|cuarenta|"
        rf"cincuenta) (?:\w+ ){{0,3}}{_PILLS}|"
        rf"\bse (?:tomo|trago|comio|bebio|metio) (?:\w+ ){{0,6}}{_PILLS}|"
        rf"\b{_PILLS}\b[^.!?]{{0,40}}\b(?:todo el frasco|toda la caja)\b|"
        r"\bse (?:tomo|trago|bebio|comio) (?:\w+ ){0,2}(?:jarabe|frasco|botella|caja|blister)s? "
        r"(?:\w+ ){0,2}(?:enter[oa]|complet[oa])\b|"
        rf"\b(?:pastillas|pills)\b[^.!?]{{0,40}}\bno (?:despierta|responde|reacciona)\b",
    ),
    (
        "mentions poisoning",
        r"\b(?:tomo|tomaron|trago|bebio|comio|chupo|mordio|drank|ate|swallowed|"
        rf"se (?:tomo|trago|bebio|comio|metio)) (?:\w+ ){{0,5}}{_POISON}\b|"
        r"\benvenen\w+|\bintoxic\w+",
    ),
    (
        "mentions a swallowed object",
        r"\b(?:trago|trague|tragaron|comio|metio a la boca|swallowed) (?:\w+ ){0,3}"
        r"(?:pila|pilas|bateria|baterias|battery|iman|imanes|moneda|tornillo|clavo|alfiler|"
        r"arete|canica|boton)\b|"
        r"\b(?:pila|pilas|bateria|battery|iman|imanes|boton)\b[^.!?]{0,20}\b(?:en|por) "
        r"(?:la |el |su )?(?:nariz|oreja|oido|garganta)\b",
    ),
    (
        "mentions a fever in a young baby",
        r"\b(?:bebe|bebita|bebito|recien nacid\w+|nene|nena|baby|\d+ (?:dias|semanas|weeks?)|"
        r"(?:un|1|dos|2|tres|3) (?:mes|meses|month|months)(?! de embarazo))\b"
        r"(?![^.!?]{0,120}\b(?:se le quito|ya bajo|se le bajo|ya esta bien|ya no tiene)\b)"
        r"[^.!?]{0,60}\b(?:fiebre|calentura|temperatura|fever|3[89](?:[.,]\d)?|"
        r"10[0-6](?:\.\d)?|(?:muy )?calient\w*|ardiendo)\b",
    ),
    (
        "mentions a venomous sting or bite",
        r"\b(?:pico|picado|picadura|mordio|mordida|mordedura)\b[^.!?]{0,30}\b(?:alacran|"
        r"escorpion|vibora|serpiente|culebra|cascabel|arana viuda|viuda negra)\b|"
        r"\b(?:alacran|escorpion|vibora|serpiente|culebra|viuda negra)\b[^.!?]{0,30}\b(?:pico|"
        r"mordio)\b",
    ),
    (
        "mentions a head injury",
        r"\b(?:se|me) (?:\w+ )?(?:golpeo|pego|dio un golpe|dio un golpazo|cayo)\b[^.!?]{0,30}"
        r"\bcabeza\b",
    ),
    (
        "mentions a serious fall",
        rf"\bse (?:\w+ )?cayo\b[^.!?]{{0,60}}\bno (?:se )?{_CAN} (?:levantar|mover|caminar|"
        r"parar|pararse)\b",
    ),
    (
        "mentions a serious burn",
        r"\b(?:agua|aceite|cafe|sopa) hirviendo\b[^.!?]{0,60}\b(?:piel|pierna|brazo|cara|"
        r"encima|cayo|tiro|quem\w+|ampolla\w*)\b|\bquemadura (?:grave|fuerte|de (?:segundo|"
        r"tercer) grado)\b|\bse (?:me|le) (?:esta )?(?:pelando|cayendo|despegando) la piel\b",
    ),
    (
        "mentions a dangerous blood sugar",
        r"\b(?:azucar|glucosa)\b(?: \w+){0,4} (?:en|de|a) (?:[1-5]\d|[6-9]\d\d)\b",
    ),
    (
        "mentions a knocked-out tooth",
        r"\b(?:diente|muela)s? (?:\w+ ){0,3}(?:salio|cayo|arranco) (?:completo|entero|"
        r"de raiz)\b|\bse (?:le|me) (?:tumbo|volo|salto|arranco) (?:un|el|los|dos) dientes?\b",
    ),
    (
        "mentions a rash that does not fade",
        r"\b(?:manch\w*|sarpullido|erupcion|ronchas|puntitos)\b[^.!?]{0,40}\bno (?:se )?"
        r"(?:desaparecen|quitan|borran|blanquean|van)\b[^.!?]{0,20}\b(?:presion\w*|apret\w*|"
        r"vaso)",
    ),
    (
        "asks for emergency help",
        r"\b(?:llamo|llamamos|llame|debo llamar|hay que llamar|llamar|llamen|llamar[eo]s?) "
        r"(?:a (?:la )?)?(?:al )?(?:911|ambulancia)\b(?! (?:por|para) (?:un|una) "
        r"(?:dolor de muelas|muela))|\bnecesit\w+ (?:una )?ambulancia\b|"
        r"\b(?:es|sera) una emergencia\b",
    ),
    # Added after the fourth blind set's one measurement (session 7), over folded text.
    (
        "mentions vomiting blood",
        r"\bvomit\w* (?:\w+ ){0,3}(?:sangre|cafe molido|borra de cafe|como cafe)\b",
    ),
    (
        "mentions carbon monoxide",
        r"\bmonoxido de carbono\b|\b(?:brasero|calentador|estufa|generador|calefactor)\b"
        r"[^.!?]{0,120}\b(?:mare\w*|vomit\w*|ganas de vomitar|desmay\w*|confundid\w*)\b",
    ),
    # Added after the fifth blind set's one measurement (session 8), over folded text.
    (
        "mentions a baby's dehydration",
        r"\b(?:mollerita|mollera|fontanela)\b[^.!?]{0,20}\bhundid\w*|"
        r"\bno (?:ha )?moja(?:do)? (?:el |los |su |sus )?panal\w*|"
        # session 10: no urine since last night, sunken eyes, no tears (with vomiting or
        # diarrhoea), over folded text
        r"\b(?:diarrea|vomit\w*|devolviendo|chorrillo|cagadera|soltura)\b[^.!?]*\b(?:"
        + _DRY
        + r")\b|\b(?:"
        + _DRY
        + r")\b[^.!?]*\b(?:diarrea|vomit\w*|devolviendo|chorrillo|cagadera|soltura)\b",
    ),
    (
        "mentions an injury with loss of feeling in the legs",
        r"\bno (?:siente|puede mover|se siente) (?:las|sus) piernas\b"
        r"(?! desde hace (?:anos|meses))",
    ),
    (
        "mentions pain low on the right with fever or vomiting",
        r"\bdolor\b[^.!?]{0,40}\b(?:abajo a la derecha|lado derecho de abajo|parte baja derecha)"
        r"\b[^.!?]{0,120}\b(?:fiebre|vomit\w*|no puede (?:ni )?caminar)",
    ),
    (
        # Session 9: a blow to the head with vomiting and drowsiness, a swollen leg after an
        # operation, breathing that slows
        "mentions vomiting and drowsiness after a blow to the head",
        r"^(?=[^.!?]*\b(?:se (?:\w+ )?(?:cayo|golpeo|pego)|golpe en la cabeza)\b)"
        r"(?=[^.!?]*\b(?:(?:muy )?dormid[oa]|somnolient[oa]|adormilad[oa]|no (?:se )?despierta|"
        r"no (?:lo|la) (?:puedo|podemos) despertar)\b)[^.!?]*?\bvomit\w*",
    ),
    (
        "mentions a swollen leg after surgery",
        r"\b(?:pantorrilla|pierna|chamorro)\b[^.!?]{0,20}\b(?:hinchad\w*|inflamad\w*)\b"
        r"[^.!?]{0,30}\b(?:caliente|roj[oa]|duele|dolor)\w*\b[^.!?]{0,40}\b(?:despues|desde) de "
        r"(?:la |el |su |mi )?(?:operacion|cirugia|cesarea|vuelo|yeso)\b",
    ),
    (
        "mentions loss of consciousness",
        r"\brespira (?:muy |bien |super )?(?:lento|despacio|lentito|poquito)\b",
    ),
    (
        # Session 9: sepsis or meningitis, a fever with a failing mind
        "mentions a fever with confusion",
        r"^(?=[^.!?]*\b(?:confundid[oa]|desorientad[oa]|delira\w*|no (?:nos |me |la |lo )?"
        r"reconoce|dice cosas sin sentido|no despierta bien)\b(?! (?:con|sobre|por|de)\b))"
        r"[^.!?]*?\b(?:fiebre|calentura|escalofrios)\b",
    ),
    (
        "mentions a blackened limb with fever or confusion",
        r"^(?=[^.!?]*\b(?:pie|dedo|pierna)\b[^.!?]{0,30}\b(?:negr[oa]|morad[oa])\b)"
        r"(?=[^.!?]*\b(?:fiebre|confundid\w*|no nos reconoce)\b)",
    ),
    # Session 9, after the spent sixth blind set: signs it showed no rule knew, each said now.
    (
        # a belly hard as a board with sweating, paleness or pain that bends one over: a black
        # widow's bite, a kick to the belly, a burst bowel; not a gassy baby's "pancita dura"
        "mentions a rigid belly with shock or severe pain",
        r"^(?=[^.!?]*\b(?:barriga|panza|pancita|estomago|abdomen|vientre|belly|stomach) "
        r"(?:\w+ ){0,3}(?:dur[oa] como (?:una )?(?:tabla|piedra|roca)|(?:se (?:le )?)?(?:esta )?"
        r"(?:poniendo|puso) dur[oa]|getting hard|rigid)\b)"
        r"(?=[^.!?]*\b(?:suda\w*|sudor frio|sudando frio|cold sweat|palid[oa]|pale|"
        r"no se puede enderezar|llora\w* (?:del|de) dolor|se desmay\w*)\b)",
    ),
    (
        # bile-green vomiting in a baby of days or weeks (a twisted bowel)
        "mentions green vomiting in a newborn",
        r"\b(?:\d+|una|dos|tres) (?:semanas?|dias)\b[^.!?]{0,60}\bvomit\w* (?:\w+ )?"
        r"(?:verde|bilis)\b|"
        r"\b(?:recien nacid[oa]|neonato)\b[^.!?]{0,60}\bvomit\w* (?:\w+ )?(?:verde|bilis)\b",
    ),
    (
        # sour gas (H2S) at a well or a tank: a fall, a faint or confusion after breathing it
        "mentions a poisonous gas with collapse or confusion",
        r"\b(?:h2s|acido sulfhidrico|sulfhidrico|le (?:pego|dio) el gas|(?:respiro|inhalo|trago) "
        r"(?:el |mucho |ese )?gas)\b[^.!?]{0,80}\b(?<!nadie )(?<!no )(?:se cayo|cayo al suelo|"
        r"se desmay\w*|inconsciente|confundid[oa]|no ve bien|no despierta)\b",
    ),
    # Session 10, written anew (no blind set read)
    (
        # a wound or an operation that drains pus, with a fever: an infection that spreads
        "mentions an infected wound with fever",
        r"^(?=[^.!?]*\b(?:herida|cesarea|incision|puntos|operacion|cirugia|wound|incision)\b)"
        r"(?=[^.!?]*\b(?:pus|supura\w*|materia)\b)"
        r"(?=[^.!?]*\b(?:fiebre|calentura|escalofrios|3[89](?:[.,]\d)?|40|10[1-5](?:\.\d)?)\b)"
        r"(?![^.!?]*\b(?:ya (?:se le )?(?:quito|bajo|sano|cerro)|se (?:le )?quito|ya esta bien)\b)",
    ),
    # Session 10, after the spent seventh blind set (shapes written anew, not its text):
    (
        # a cold sweat with dizziness or vomiting (heat, nicotine poisoning, shock); not a
        # cold sweat alone before an exam
        "mentions a cold sweat with dizziness or vomiting",
        r"\b(?:sudando frio|sudor frio|suda frio)\b[^.!?]{0,80}\b(?:maread\w*|vomit\w*|"
        r"desmay\w*|palid[oa])\b|\b(?:maread\w*|vomit\w*|desmay\w*|palid[oa])\b"
        r"[^.!?]{0,80}\b(?:sudando frio|sudor frio|suda frio)\b",
    ),
    (
        # a dried-out adult who is confused (no urine, a dry mouth)
        "mentions dehydration with confusion",
        r"\b(?:" + _DRY + r")\b[^.!?]{0,80}\b(?:confundid[oa]|desorientad[oa]|no sabe donde "
        r"esta|no (?:me |nos )?reconoce)\b",
    ),
)

CRISIS_ES: tuple[tuple[str, str], ...] = (
    (
        # Session 9: leaving this world, getting out of the way, ceasing to exist, being one too
        # many, across Mexican, Caribbean, Central and South American speech
        "mentions wanting to die",
        r"\b(?:quiero|quisiera|me quiero|ya me quiero|voy a|me voy a|pienso|ganas de) (?:\w+ )?"
        r"(?:ir(?:me)?|salir(?:me)?|largarme|marcharme|despedirme) de este mundo\b|"
        r"\b(?:quiero|quisiera|me quiero|ya me quiero) (?:ir(?:me)?|reunirme) con (?:diosito|dios|"
        r"mi (?:\w+ ){0,2}al cielo)\b|\b(?:quiero|quisiera) irme al cielo\b|"
        r"\b(?:voy a|quiero|pienso|mejor|ya me voy a|me voy a) quitar(?:me)? (?:del medio|"
        r"de en medio)\b|\bmejor me quito (?:del medio|de en medio)\b|"
        rf"\b{_I_WANT} (?:\w+ )?dejar de (?:existir|vivir)\b|"
        r"\b(?:sobro|estoy de sobra|salgo sobrando) (?:en este mundo|en esta vida)\b|"
        r"\bsiento que sobro(?=\s*(?:[.!,;]|$))",
    ),
    (
        # Session 8, after the fifth blind set: a plan to crash a car, resting forever tonight,
        # no longer wanting to be a burden (English too: "I don't want to be a burden anymore").
        "talks about ending their life",
        r"\b(?:va|voy|iba) a (?:estrellar|chocar|aventar|tirar)(?:se|me)? (?:el|su|mi|la) "
        r"(?:carro|coche|auto|camioneta|troca)\b[^.!?]{0,30}\bcontra\b|"
        r"\b(?:esta noche|hoy|manana) (?:\w+ )?descans\w+ para siempre\b|"
        r"\bya no quiero ser una carga(?: para (?:mi|mis|nadie|ustedes)\b|\s*[.!,;]|$)|"
        r"\bdon'?t want to be a burden (?:anymore|any more)\b",
    ),
    (
        # Session 5, after the blind2 measurement: doubt that going on is worth it, and waking
        # up no more as the better outcome ("no sé si vale la pena seguir", "sería mejor no
        # despertar"); going on with a dentist or a treatment is not meant.
        "mentions no reason to live",
        r"\b(?:no se si|dudo que|ya no se si) (?:\w+ )?vale(?:ra)? la pena (?:vivir|seguir)\b"
        r"(?! (?:con|en|yendo|viniendo|pagando|esperando|aqui|ahi|est[ea]|el|la|los|las|"
        r"tratamiento|terapia))|"
        r"\b(?:seria|fuera|es|sera) mejor no (?:volver a )?(?:despertar|amanecer|existir|"
        r"estar aqui|vivir)\b",
    ),
    (
        "mentions suicide",
        r"\bsui?[cs]+id\w*|\bsuisid\w*|\bsuicidi\w*|\bsuicida\w*",
    ),
    (
        "mentions wanting to die",
        rf"\bme {_I_WANT} (?:\w+ )?(?:matar|morir|suicidar|suisidar|colgar|ahorcar|"
        r"aventar|tirar|quitar la vida|kill|die)\b|"
        rf"\b{_I_WANT} (?:\w+ ){{0,2}}{_SELF_END}\b|"
        r"\bse (?:quiere|quieren|queria|va a|iba a|piensa|intento|intenta) (?:\w+ )?"
        r"(?:matar|morir|suicidar|colgar|ahorcar|tirar|aventar|quitar la vida)\b|"
        r"\b(?:mejor|ojala) (?:yo )?(?:me )?(?:muero|mato|muera|muriera|suicido|"
        r"estuviera muert[oa])\b|"
        r"\b(?:quisiera|quiero|desearia|ojala) (?:\w+ )?(?:estar|estuviera) muert[oa]\b|"
        r"\b(?:dormir\w*|acostarme) y no (?:volver a )?despertar\b|"
        r"\b(?:no quiero|no quisiera|ojala no) (?:volver a )?(?:despertar|despierte|amanecer)\b",
    ),
    (
        "mentions wanting to die",
        r"\b(?:ya )?no (?:quiero|kiero|quisiera|quiere|deseo|tengo ganas de|aguanto|soporto|"
        rf"{_CAN}) (?:mas )?(?:seguir )?(?:vivir|viviendo|bivir|existir|estar viv[oa])\b|"
        r"\b(?:ya )?no quiero (?:estar aqui|existir)(?: mas| nunca mas)\b|"
        r"\bno quiero seguir(?= *(?:[.!,;]|$| aqui| viv| asi| existiendo| en este mundo))|"
        r"\bmejor (?:desaparecer|desaparezco|morir(?:me)?|me muero)\b|"
        r"\bquiero que (?:todo|esto|mi vida) (?:se )?(?:acabe|termine)\b|"
        r"\bya no quiero estar aqui\b|"
        r"\bno merezco (?:estar viv[oa]|vivir|existir|seguir)\b|"
        r"\b(?:cansad[oa]|harto|harta) de (?:vivir|la vida|existir|luchar|estar viv[oa])\b|"
        r"\bme canse de vivir\b",
    ),
    (
        "talks about ending their life",
        r"\b(?:quitarme|quitarse|quitarte|me quito|se quito) la vida\b|"
        r"\b(?:acabar|terminar|acabo|termino) con (?:mi|su) (?:propia )?vida\b|"
        r"\b(?:acabar|terminar) con todo(?=\s*(?:[.!,;]|$|esta noche|hoy|ya|de una vez|"
        r"para siempre|manana))|\bponer(?:le)? fin a (?:mi vida|todo)\b",
    ),
    (
        "says others are better off without them",
        r"\b(?:mejor|mejores|tranquil\w+|felices|better(?: off)?) sin mi\b|"
        r"\bsi yo no (?:existiera|estuviera|viviera)\b|"
        r"\b(?:soy|me siento) (?:solo |solamente |nada mas )?(?:una )?carga\b|"
        r"\bnadie (?:me )?(?:extranaria|va a extranar|notaria|se daria cuenta|me va a extranar)\b|"
        r"\bno sirvo para nada\b|\bsoy (?:un[oa]? )?(?:inutil|estorbo)\b",
    ),
    (
        "mentions no reason to live",
        r"\bno (?:tengo|hay|le encuentro|encuentro|le veo|veo) (?:\w+ ){0,2}(?:razon|razones|"
        r"motivo|motivos|sentido|caso) (?:\w+ ){0,2}(?:vivir|seguir|la vida|existir)\b|"
        r"\b(?:la |mi )?vida (?:ya )?no (?:tiene|vale) (?:sentido|la pena|nada)\b|"
        r"\bno vale la pena (?:vivir|seguir)\b|\bvivir no vale la pena\b|"
        r"\bya nada tiene sentido\b|\bno tengo (?:por|para) que seguir\b|"
        r"\bpara que (?:sigo|seguir|vivo|vivir)\b|\bno le (?:veo|encuentro) sentido a "
        r"(?:vivir|la vida|nada)\b",
    ),
    (
        "mentions wanting to die",
        r"\b(?:pienso|pensando|pense|he pensado|pensar|pensamientos?) (?:\w+ ){0,2}(?:en )?"
        r"(?:morir\w*|matar\w*|suicid\w*|quitarme la vida|acabar con mi vida|la muerte|"
        r"no despertar)\b|\bpensamientos (?:suicidas|de muerte|oscuros)\b",
    ),
    (
        "mentions self-harm",
        r"\b(?:hacerme|hacerse|me hago|me hice|se hace|se hizo|hacerle) (?:\w+ )?(?:dano|danio)\b|"
        r"\bautolesi\w+|\bautoagre\w+|\b(?:lastimarme|lastimarse|herirme|cortarme|quemarme)\b|"
        r"\b(?:me|se) (?:estoy |esta )?(?:cortando|lastimando|quemando)\b"
        r"(?! (?:el|la|los|las) (?:pelo|cabello|unas|comida))|"
        r"\b(?:me|se) (?:\w+ )?(?:cort\w+|quem\w+|rasgu\w+|lastim\w+|rayo|rayando) "
        r"(?:\w+ ){0,2}(?:brazos|munecas?|piernas|muslos|venas|panza)\b|"
        r"\bme (?:quem\w+|cort\w+) (?:\w+ ){0,3}con (?:el |un |una |la )?(?:encendedor|"
        r"cigarr\w+|navaja|cuchilla|rastrillo|hoja de afeitar)\b|"
        r"\b(?:a proposito|para sentir algo)\b",
    ),
    (
        "mentions a plan or means",
        r"\b(?:me voy a|voy a|quiero|pienso|estoy pensando en|he pensado en) (?:\w+ ){0,2}"
        r"(?:tomar(?:me)?|tragar(?:me)?) (?:\w+ ){0,2}(?:todas|todo el|el frasco|la caja|"
        r"todos mis)\b|"
        rf"\b(?:juntando|guardando|ahorrando|acumulando|junte|guarde|escondiendo) (?:\w+ ){{0,2}}"
        rf"{_PILLS}|"
        rf"\b(?:{_PILLS}|soga|cuerda|pistola|arma|navaja)\b (?:\w+ ){{0,2}}(?:listas?|listos?|"
        r"ready|en la mano|conmigo)\b|"
        r"\b(?:compre|consegui) (?:una |la )?(?:soga|cuerda|pistola|arma)\b|"
        # session 9: pills put away for the day, a roof and a wish to jump
        rf"\b{_PILLS} (?:guardad|escondid|juntad)\w+ (?:\w+ ){{0,3}}para (?:cuando|el dia|hacerlo|"
        r"esta noche|terminar|acabar)\b|"
        r"\b(?:azotea|puente|techo|cornisa|balcon|edificio)\b[^.!?]{0,40}\b(?:quiero|voy a|"
        r"pienso) (?:\w+ )?(?:saltar|brincar)\b(?! (?:la|el|una|un|esa|ese|mi) (?:cita|consulta|"
        r"fila|turno|comida|linea|paso)\b)|"
        r"\b(?:tirarme|aventarme|lanzarme|echarme|arrojarme|tirarse|aventarse|lanzarse|"
        r"me voy a (?:tirar|aventar|lanzar)|se va a (?:tirar|aventar|lanzar)|me tiro|"
        r"me aviento)\b[^.!?]{0,30}\b(?:puente|edificio|azotea|techo|balcon|ventana|vias|"
        r"tren|carros?|trafico|rio|metro|piso)\b|"
        r"\b(?:colgarme|ahorcarme|me voy a (?:colgar|ahorcar)|me cuelgo|colgarse|ahorcarse)\b|"
        r"\bcortar(?:me|se)? las (?:venas|munecas)\b|"
        r"\b(?:darme|pegarme|me (?:voy a|quiero|kiero|pienso) (?:pegar|dar)) un (?:tiro|balazo|"
        r"plomazo)\b|"
        r"\b(?:ya )?(?:plane\w+|tengo (?:un|el) plan|decidi) (?:como|cuando) (?:hacerlo|"
        r"matarme|morir)\b",
    ),
    (
        "says goodbye",
        r"\b(?:esta es mi|mi ultima|ultima) (?:despedida|carta|noche|mensaje|publicacion|"
        r"resena)\b|\bmensaje de despedida\b|\bcarta de despedida\b|"
        r"\bme despedi de todos\b|\bya me despedi\b|\badios a todos\b|\badios para siempre\b|"
        r"\bperdon(?:en(?:me)?)? por todo\b|\bperdonenme\b|"
        r"\b(?:ya )?(?:escribi|deje|escribiendo) (?:las |mis |unas |una )?cartas?\b"
        r"(?! (?:al|a la|para el|para la) (?:seguro|oficina|clinica|doctor|aseguradora))|"
        r"\b(?:ya )?regale (?:todas )?mis cosas\b|\bcuiden a mis hijos\b|"
        r"\bya no me (?:van a|volveran a) (?:volver a )?ver\b|"
        r"(?:^|[.!?]\s*)(?![^.!?]*\b(?:cambiar|reprogram\w*|mover|otra fecha|otro dia|"
        r"vacaciones|viaje|fuera de la ciudad|trabajo|lunes|martes|miercoles|jueves|viernes|"
        r"sabado|domingo)\b)[^.!?]*\b(?:ya )?no (?:voy a|vaya a|creo que vaya a) estar "
        r"(?:aqui|presente|viv[oa]|para)\b",
    ),
    # Session 10, after the spent seventh blind set: a farewell letter left for one's children
    # with a leaving; a goodbye with the means and "do not look for me/him"
    (
        "talks about ending their life",
        r"\b(?:les? )?deje (?:la |una )?cartas? (?:a|para) mis (?:hij\w*|nenes|nenas|ninos|ninas|"
        r"chamacos|chicos|bebes)\b[^.!?]{0,100}\b(?:me voy|me ire|me despido|"
        r"ya no (?:voy|estare))\b",
    ),
    (
        "talks about ending their life",
        r"\b(?:cuerda|soga|mecate|pistola|pastillas)\b[^.!?]{0,60}\bya no (?:lo|la|me|nos) "
        r"(?:busc|busqu)\w*",
    ),
    (
        "says they do not feel safe",
        r"\bmiedo de (?:lo que )?(?:me )?(?:pueda|puedo|vaya a) hacer\b|"
        r"\bno me siento segur[oa] conmigo\b|\bpeligro para (?:mi|si) mism[oa]\b",
    ),
)

# "Ya no aguanto más" alone is how people complain about a wait; with words of death, pills or
# farewell in the same post it is how they say they cannot go on (crisis_reasons in rules.py).
CANT_GO_ON_ES = re.compile(
    r"\b(?:ya )?no (?:aguanto|soporto|puedo|doy) (?:mas|ya)\b|\bya no aguanto\b"
)
CANT_GO_ON_CONTEXT = re.compile(
    r"\b(?:mor\w+|muert\w+|matar\w*|vivir|vida|pastillas|pills|adios|bye|perdon\w*|"
    r"locura|tonteria|estupidez|desaparecer|sin salida|todo(?= *(?:[.!,;]|$))|kill|die|dead|"
    # where the poster stands now (session 7): a platform, the tracks, a bridge, a roof
    r"anden|vias del tren|proximo tren|puente|azotea|cornisa)\b"
)

# Figures of speech masked before the Spanish rules run (each a fixed idiom).
FIGURES_ES = re.compile(
    r"\b(?:morir\w*|muero|muere|mueren|muriendo|mori|moria|moriamos|muera|muerto|muerta) "
    r"(?:\w+ )?de (?:la )?(?:risa|hambre|ganas|nervios|coraje|"
    r"verguenza|frio|calor|sueno|aburrimiento|emocion|amor|envidia|cansancio|sed|miedo|"
    r"susto|pena|gusto|alegria|felicidad|ternura)\b|"
    r"\bmuert[oa]s? de (?:cansancio|risa|hambre|sueno|frio|miedo|verguenza|aburrimiento|"
    r"calor|sed)\b|\bmori(?:mos)? de (?:amor|risa)\b|"
    r"\b(?:casi|por poco) me (?:da|dio|daba) (?:un |una )?(?:infarto|ataque|derrame|soponcio|"
    r"patatus|embolia)\b|\bme (?:va|iba) a dar (?:un )?(?:infarto|ataque|derrame)\b|"
    r"\bme dio (?:un )?(?:infarto|ataque) (?:cuando|al ver|con)\b|"
    r"\b(?:casi|por poco) me (?:desmayo|desmaye|muero|mori|ahogo)\b|"
    # session 8: a fear told, not a faint: "pensé que me iba a desmayar jajaja pero ..."
    r"\b(?:pense|crei|senti) que (?:me )?(?:iba|iban|fuera|iria) a (?:desmayar|morir|dar (?:un |"
    r"una )?(?:infarto|ataque|derrame|soponcio|patatus))\b|"
    r"\bse me (?:para|paro|sale|salio) el corazon\b|"
    r"\brespirar (?:de|del|de la) (?:coraje|risa|rabia|emocion|enojo|nervios)\b|"
    r"\b(?:me|nos) ahog(?:o|amos|ando) en (?:papeles|deudas|trabajo|cuentas|papeleo|tramites)\b|"
    r"\bahogad[oa]s? en (?:deudas|papeles|trabajo|papeleo)\b|"
    r"\bsuicidio (?:financiero|economico|social|politico|comercial|profesional)\b|"
    r"\b(?:mes|semana|dia|campana|taller|charla|folleto|cartel|poster) (?:\w+ )?de (?:la )?"
    r"prevencion del suicidio\b|"
    r"\b(?:me|te) (?:mata|matan|esta matando|estan matando|va a matar|van a matar)\b|"
    r"\b(?:sin|quede sin|dejo sin) aliento (?:al ver|con|de)\b|"
    # session 9, from the spent blind sets' frightening posts: a toothache so bad, and shame
    # ("me quiero morir ... qué vergüenza"), are the complaint, not a wish to die
    r"\b(?:me )?duelen? tanto (?:la|el|los|las|mi|mis) (?:muela|diente|cabeza|espalda|oido|"
    r"oreja|rodilla|estomago|panza|pie|cuello|garganta|encia)s? que (?:me quiero|quisiera) "
    r"morir(?:me)?\b|"
    r"\bme quiero morir\b(?=[^\n]{0,200}\b(?:que|la) (?:verguenza|oso|pena)\b)"
)
# A Spanish story about the past, and the present, for the emergency rules ("el año pasado tuve
# dolor de pecho" is a story; "desde hace una hora" is now).
PAST_ES = re.compile(
    r"(?<!desde )\bhace (?:\w+ ){0,2}(?:anos?|meses|mes|semanas|tiempo|years?)\b|"
    r"\b(?:el|la) (?:ano|mes|semana|vez|verano|invierno|otono|navidad) pasad[oa]\b|"
    r"\bla ultima vez\b|\ben (?:19|20)\d\d\b|\bcuando (?:era|eramos|estaba|tenia) "
    r"(?:nin[oa]|chic[oa]|joven|pequen[oa]|\d+ anos)\b|\bde nin[oa]\b|"
    r"\ben (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
    r"diciembre)\b"
)
PRESENT_ES = re.compile(
    r"\b(?:ahora|ahorita|todavia|aun|sigue|siguen|otra vez|de nuevo|hoy|esta noche|"
    r"esta manana|en este momento|ahora mismo)\b"
)


# Kind and topic cues for Spanish and Spanish-English posts (issue 15: a third of the comments a
# US practice receives can be Spanish; the English word lists read "me cobraron dos veces y nadie
# me contesta" as nothing at all). Over folded, normalised text, like the urgent patterns. They
# feed the same signals as the English lists (``engine.kind_signals``, ``rules.topic_cues``); the
# kind stacker and the topic thresholds learn how far to trust them from the written Spanish
# training posts (``data/triage_train_social.jsonl``).

#: Complaint wording that makes a complaint on its own.
COMPLAINT_STRONG_ES = re.compile(
    r"\b(?:groser[oa]s?|groseria|maleducad[oa]s?|despota|pesim[oa]s?|horrible|terrible|"
    r"nunca mas|no (?:lo|la|los|las) recomiendo|no se los recomiendo|cero estrellas|"
    r"(?:el|lo|la) peor|mal servicio|mala atencion|falta de respeto|mala manera|"
    r"que (?:frustracion|coraje|verguenza)|(?:nadie|nunca) (?:me |nos )?(?:contest\w*|"
    r"respond\w*|regres\w*|devolv\w*|llam\w*|explic\w*|atiend\w*)|ni una disculpa|"
    r"(?:me|nos|le) cobraron (?:dos veces|doble|de mas)|cobro doble|cobranza|cobranzas|"
    r"sin (?:avisar\w*|preguntar\w*|permiso|mi permiso)|todavia (?:nada|no|espero|estoy)|"
    r"sigo (?:esperando|sin)|nunca funciona|no funciona|me cancelaron|me movieron|"
    r"(?:me|nos) hicieron esperar|espera (?:es )?eterna|una eternidad|abusivos?|estafa|"
    r"rateros?|me dejaron (?:esperando|sangrando)|ni me (?:revis\w+|mir\w+|escuch\w+)|"
    r"no me (?:revis\w+|escuch\w+|explic\w+|contest\w+|llam\w+)|perdi (?:un|el|mi) dia)\b"
)
#: Complaint wording that needs support from the tone or the stars.
COMPLAINT_WEAK_ES = re.compile(
    r"\b(?:pero|espera|esperando|esperar|espere|dolor|adolorid[oa]|caro|cara|error|lento|"
    r"tarde|sucio|sucia|sucisim[oa]s?|mal|malo|mala|problema|queja|molest[oa]|multa|"
    r"lamentablemente|desafortunadamente)\b"
)
#: Praise wording.
PRAISE_ES = re.compile(
    r"\b(?:excelente|gracias|amables?|recomiend\w*|recomendad[oa]|(?:la|el|los|las) mejor(?:es)?|"
    r"un amor|perfect[oa]|agradecid[oa]s?|encant\w+|maravillos[oa]s?|muy buen[oa]s?|"
    r"buenisim[oa]s?|paciencia|atent[oa]s?|bendiciones|limpi[oa] y|"
    r"(?:super|muy) (?:nice|linda|lindo|bien|profesional\w*)|"
    # session 6 (the spent second blind set): "es lo máximo", "fue un ángel", "quiero agradecer"
    r"lo maximo|un angel|agradec\w+|genial|me siento (?:yo )?(?:otra vez|mejor|bien))\b"
)
#: Topic cues, per topic (``rules.topic_cues`` adds them to the English ones).
TOPIC_CUES_ES: dict[str, re.Pattern[str]] = {
    "wait-time": re.compile(
        r"\b(?:esper(?:e|amos|aron|ando|ar|o)|espera(?! (?:a|que) )(?<!sala de espera)|"
        r"hora y media|(?:\d+|dos|tres|cuatro) "
        r"(?:horas|semanas|meses)|a tiempo|sin esperas?|puntuales?)\b"
    ),
    "scheduling": re.compile(
        r"\b(?:(?:cancel|reprogram|mov|cambi)\w* (?:\w+ )?cita|cita (?:disponible|el mismo dia)|"
        r"(?:dar|dieron|sacar|conseguir|agendar|hacer) (?:me |una |la )?cita|agendar|"
        r"citas disponibles|pacientes nuevos|abren|sabados|domingos|horario)\b"
    ),
    "staff-courtesy": re.compile(
        r"\b(?:groser[oa]s?|groseria|amables?|mala manera|despota|trato|un amor|"
        r"maleducad[oa]s?|pacientes? con|atent[oa]s?|carinos[oa]s?|falta de respeto)\b"
    ),
    "billing": re.compile(
        r"\b(?:cobr\w+|factura\w*|seguro|pag(?:ar|ue|o|amos|aron)|precios?|costos?|cuesta|"
        r"deducible|copago|multa|cobranza|medicaid|medicare|molina|dinero|cargos?)\b"
    ),
    "clinical-care": re.compile(
        r"\b(?:diagnostic\w*|tratamiento|receta|medicamentos?|medicina|revis\w+|empaste|"
        r"limpieza|frenos|inyeccion|terapia|cirugia|operacion|extraccion|muela|corona|"
        r"radiografias?)\b"
    ),
    "facility": re.compile(
        r"\b(?:banos?|estacionamiento|estacionar\w*|sucio|sucia|limpi[oa]|"
        r"sillas?|edificio|clinica esta)\b"
    ),
    "communication": re.compile(
        r"\b(?:contest\w*|llamad\w+|(?:me|nos) llam\w+|mensajes?|portal|explic\w+|"
        r"expedientes?|respuesta|correos?|regres\w+ la llamada|hablen? espanol|informacion)\b"
    ),
    "privacy": re.compile(
        r"\b(?:privacidad|confidencial\w*|en voz alta|le conto a|le dijo a mi|"
        r"sin (?:mi )?(?:permiso|consentimiento))\b"
    ),
}
