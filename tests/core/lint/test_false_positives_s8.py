"""Compliant wordings built to tempt a checker (session 8), and the violations beside them that
must still be caught. Every example was written for this test, in the families the false blocks
and warnings of the identifier, health-detail and echo rules fell into on the spent blind sets
(lint_blind2/3/4): staff named with a title, a part of the office or their own line and no
practice profile; staff the poster thanked or praised; weekday ranges, places and proper names
read as people; the practice's hours and its staff's schedules read as the date of a visit.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter
from safereply.core.vocab import Verdict

LINTER = default_linter()
NAMES = {"ID001", "EC002", "ID007"}


def _codes(text: str, post: str | None = None) -> set[str]:
    return {f.code for f in LINTER.check(text, post=post).findings}


def _verdict(text: str, post: str | None = None) -> Verdict:
    return LINTER.check(text, post=post).verdict


# -- staff with a title, a part of the office or their own line --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We're sorry for the trouble. Please call Miss Dolores in billing at (555) 201-3300.",
        "Please call Mr. Okoye directly at (555) 201-3300 so we can look into it.",
        "Kindly telephone Mrs. Khan on (555) 201-3300 so that we may hear your concerns.",
        "Llámenos al (555) 201-3300; Marisol en la recepción habla español.",
        "Kindly telephone our diabetes nurse, Ms. Joan Fields, on (555) 201-3300.",
        "Call (555) 201-3300 and Rosa or Jenny Lynn will walk you through the options.",
        "We're welcoming two new midwives, Keisha Grant, CNM, and Lupe Ortega, CPM.",
        "Our family team — Lena, Omar and Dr. Patel — loves hearing this!",
        "We'll pass these words on to Marcus, who runs our couples program.",
        "Llama al (555) 201-3300 y pide hablar con Maya o con Daniela.",
    ],
)
def test_staff_with_a_title_a_desk_or_a_line_are_not_the_reader(text):
    assert not NAMES & _codes(text), _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hi Karen, please call Miss Dolores in billing at (555) 201-3300.",
        "Thank you Mrs. Ortiz, we appreciate it.",
        "We hope your son Ethan, Mia and Dr. Patel's puppy all had fun!",
        "Tell Mateo we said hi, we miss him!",
    ],
)
def test_the_reader_and_their_family_beside_staff_still_block(text):
    assert _verdict(text) is Verdict.BLOCK
    assert NAMES & _codes(text)


# -- weekday ranges, places and proper names ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Records requests go through our front desk: (555) 201-3300, Mon-Sat.",
        "Half of our staff coach Little League, so the energy here is high!",
        "We're at 9400 Canyon Blvd., Suite 2, Beverly Hills; call (555) 201-3300.",
        "Our midwives have served Travis County for fifteen years.",
        "Ya tenemos estacionamiento atrás, entrando por la calle Bonnie Brae.",
    ],
)
def test_days_places_and_proper_names_are_not_people(text):
    assert not NAMES & _codes(text), _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks so much, Beverly!",
        "Say hi to coach Mike for us and give little Mia a hug!",
    ],
)
def test_a_person_named_beside_the_same_words_still_blocks(text):
    assert NAMES & _codes(text)


# -- staff the poster thanked or praised --------------------------------------------------------


@pytest.mark.parametrize(
    ("post", "reply"),
    [
        ("Shoutout Nurse Tasha at the Elm St clinic!!", "Tasha is the BEST. We'll tell the team!"),
        (
            "Thank you Hannah for the calmest birth 💛",
            "We'll pass these words on to Hannah. Families curious about our midwives can call "
            "(555) 201-3300.",
        ),
        ("Gracias a la Dra. Rowan, me siento mejor.", "¡Gracias! Se lo diremos a la Dra. Rowan."),
        ("My son was scared until Miss Becky. Thank you!", "Miss Becky made our week!"),
        (
            "Maya at the front desk is the kindest.",
            "She really is! Maya is the first voice you hear when you call.",
        ),
    ],
)
def test_staff_the_poster_praised_are_no_echo(post, reply):
    assert not NAMES & _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("post", "reply"),
    [
        ("My son Ethan loved his visit, thank you!", "Give Ethan a high five from all of us!"),
        ("Mrs. Ellen Park here. Great visit.", "Thank you, Mrs. Park, we appreciate it!"),
        ("I'm Dana and the wait was awful.", "Dana, we're sorry about the wait."),
    ],
)
def test_the_poster_and_their_family_named_in_the_post_still_block(post, reply):
    assert _verdict(reply, post) is Verdict.BLOCK
    assert NAMES & _codes(reply, post)


# -- the practice's hours and its staff's schedules ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "¡Hola! Sí, la Dra. Ixtab Morales atiende martes y jueves. Llame al (555) 201-3300.",
        "Sí, la Dra. Paz sigue con nosotros los lunes, miércoles y viernes en la clínica del "
        "centro. Para citas: (555) 201-3300.",
        "El grupo se reúne los jueves a las 6 pm, y el grupo en español los martes a las 5:30.",
        "We offer teen facials after school Monday–Thursday, and parents may sit in.",
        "You may also ask for Mr. Thomas Reyes, Billing Supervisor. Regards, the Practice Manager",
        "This made our day! Sending a big hug from all of us at Maison Rose 💕",
        "Merry Christmas from all of us at Pine Hollow Dental!",
    ],
)
def test_hours_schedules_and_the_office_name_are_not_a_date_of_care(text):
    assert not NAMES & _codes(text), _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you! See you Tuesday and Thursday as usual.",
        "Ana, te vemos el martes para el control.",
        "Ya le devolvimos la llamada al 347-555-0191 tres veces.",
        "Thanks! See you next checkup in March!",
    ],
)
def test_a_visit_date_or_the_readers_number_still_blocks(text):
    assert _verdict(text) is Verdict.BLOCK
    assert {"ID001", "ID002", "ID004", "ID007", "PR001", "PR003", "OC001"} & _codes(text)


# -- health words in idioms, services and general statements ------------------------------------

HEALTH = {"HD001", "HD002", "EC001"}


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("I'm so sorry this has been such a headache. Please call Carla at (555) 201-3300.", None),
        ("That needs fixing; call (555) 201-3300 and ask for Gina. Sorry for the headache.", None),
        ("Dr. Vale has a special place in her heart for new parents!", None),
        ("Sorry for the wait! We want those frames on your face ASAP: (555) 201-3300.", None),
        ("We feel the weight of this, and we're sorry for the pain in your words.", None),
        ("We'd be glad to sit down with you at no charge; call (555) 201-3300.", None),
        ("Our surgery page has recovery info and photos: example.com/lift. (555) 201-3300", None),
        ("So glad you asked 🌙 Our clinicians offer CBT for insomnia; call (555) 201-3300.", None),
        ("Fatigue has a lot of possible causes, so we can't advise 😴 Call (555) 201-3300.", None),
        ("ugh we get it 😤 results can vary person to person! call (555) 201-3300", None),
        (
            "Surprise bills are the worst, and we hear you. Our insurance team can go through any "
            "statement at (555) 201-3300.",
            "Insurance was supposed to cover my exam and now I got a bill.",
        ),
        (
            "We can't discuss anyone's care here. You can also read about eye pressure at "
            "example.com/learn or call (555) 201-3300.",
            "my eye doctor said my eye pressure was high",
        ),
        (
            "We've moved to a digital check-in that verifies insurance before you arrive. Call "
            "(555) 201-3300 to talk more.",
            "They couldn't find my insurance at check-in.",
        ),
        (
            "We've shared your comments about the discharge process with our nursing leaders. "
            "Please call (555) 201-3300.",
            "Surgery went fine but discharge took 7 hours.",
        ),
        (
            "Our refill line is (555) 201-3300 and I've asked that every refill be handled "
            "within a day.",
            "still no callback about my refill. day 4.",
        ),
    ],
)
def test_health_words_in_idioms_services_and_statements_are_no_detail(reply, post):
    assert not HEALTH & _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("We're so sorry your headache came back after the visit.", None),
        ("Dr. Vale listened to her heart and was glad it sounded strong.", None),
        ("We're sorry about the swelling on your face.", None),
        ("Glad the CBT for your insomnia is helping!", None),
        ("Your fatigue has a lot of possible causes; we'll review your labs.", None),
        ("We removed the charge from your bill.", None),
        ("Your results came back normal!", None),
        ("We resubmitted the claim for your insurance.", "My insurance claim was denied."),
        ("Sorry the refill was late.", "still no callback about my refill. day 4."),
    ],
)
def test_the_readers_own_health_detail_still_blocks(reply, post):
    assert _verdict(reply, post) is Verdict.BLOCK
    assert HEALTH & _codes(reply, post) or "HD003" in _codes(reply, post)


# -- scores, prices and the practice's news -----------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("HAHA love this review 😂 10/10 would read again!", "10/10 would get teeth cleaned again"),
        ("yes! walk in any day but fri. $35 self pay. (555) 201-3300 w questions", None),
        ("Sorry. New sleep lab opened 10/1, waits now ~2 wks. (555) 201-3300", None),
    ],
)
def test_scores_prices_and_news_are_no_identifier(reply, post):
    assert not {"ID002", "ID006", "EC002"} & _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("Sorry about your visit on 10/10.", "Awful visit on 10/10."),
        ("Your $35 balance is still open.", None),
        ("Sorry your sleep study on 10/1 ran late.", None),
    ],
)
def test_a_visit_date_or_a_readers_balance_still_blocks(reply, post):
    assert _verdict(reply, post) is Verdict.BLOCK
    assert {"ID002", "ID006", "EC002"} & _codes(reply, post)


# -- what the practice offers everyone, and "your" that speaks to anyone --------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            # the learned health rule reads this as the reader's diabetes without the check
            "Sí, tenemos un programa de diabetes con médico, nutricionista y educadora, todo en "
            "español. Hacemos la prueba en la misma clínica.",
            "¿Atienden diabetes? Necesito alguien que me controle el azúcar.",
        ),
        (
            "¡Sí! Aceptamos Medicaid y la mayoría de los seguros para el cuidado prenatal. "
            "Llame al (555) 201-3300.",
            "¿Aceptan Medicaid para embarazadas?",
        ),
        (
            "Thank you for sharing, this is an important message for everybody: check your skin "
            "and see a dermatologist if a mole changes.",
            "Thank you Dr. Vale for catching my melanoma early",
        ),
        (
            "Touching your eye IS scary 👁️ Free lens lessons at every store! (555) 201-3300",
            "I was so scared to touch my eye at the lens training lol",
        ),
    ],
)
def test_services_for_everyone_and_generic_your_are_no_detail(reply, post):
    assert not (HEALTH | {"HD003"}) & _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("Ya le tenemos separada la próxima limpieza, don Ernesto.", None),
        ("We placed your implant last week and it looks great!", None),
        ("Check your skin again next week and let us know.", None),
        ("Losing your tooth was scary, we're sorry.", "I lost my front tooth."),
    ],
)
def test_care_kept_for_the_reader_or_their_own_body_still_blocks(reply, post):
    assert _verdict(reply, post) is Verdict.BLOCK


def test_the_practices_next_event_is_no_health_detail():
    reply = (
        "¡Qué gusto leer esto! 🙏 El próximo taller gratuito sobre duelo es el 12 de marzo a las "
        "6 p.m. en la Parroquia Santa Rita. Abierto a todos."
    )
    assert not {"HD003", "ID007"} & _codes(reply, "Me encantó el taller de duelo 🙏")


def test_the_readers_own_next_session_still_blocks():
    reply = "¡Qué gusto! Su próxima sesión de terapia para el duelo es el 12 de marzo a las 6 p.m."
    assert _verdict(reply, "Me encantó la terapia de duelo 🙏") is Verdict.BLOCK
