"""Personal data in free text: what is found and masked, and what is left exactly as written."""

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from est_pwa.privacy.pii import Finding, find, kinds, mask

PLACEHOLDER = {
    "personnummer": "[personnummer]",
    "samordningsnummer": "[samordningsnummer]",
    "telefon": "[telefon]",
    "epost": "[e-post]",
    "regnr": "[registreringsnummer]",
}
IDENTITY_KINDS = {"personnummer", "samordningsnummer"}
# Acronyms deliberately never read as plates, although their letters are valid on one.
NOT_PLATES = {"AFS", "BBR", "BRF", "EPA", "GPS", "HSB", "LED", "LSS", "LVM", "LVU", "MSB"}
NOT_PLATES |= {"PBL", "SFS", "SKR", "SOS", "SOU"}
PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUWXYZ"
PHRASES = [
    "ungdomar samlades vid torget",
    "anmälaren ringde om",
    "krossad ruta på skolgården",
    "belysningen är trasig",
    "vaktmästaren såg någon klottra i tunneln",
    "mot busshållplatsen i Kumla",
    "under trygghetsvandringen i Örebro",
    "nattvandrarna och fastighetsskötaren rapporterade",
]
# Moderate example counts keep the file quick; nothing here is about speed, so no deadline
# (a busy CI machine must not fail a regex test), and no example database in the working tree.
examples = settings(max_examples=200, deadline=None, database=None)


# Building blocks for generated text


def luhn_digit(nine: str) -> str:
    """Return the check digit that completes nine digits of a personnummer."""
    total = 0
    for position, char in enumerate(nine):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str(-total % 10)


@st.composite
def surroundings(draw) -> tuple[str, str]:
    """Draw Swedish-ish words and punctuation to put before and after an item."""
    before = " ".join(draw(st.lists(st.sampled_from(PHRASES), max_size=3)))
    after = " ".join(draw(st.lists(st.sampled_from(PHRASES), max_size=3)))
    opening, closing = draw(st.sampled_from([("", ""), ("(", ")"), ('"', '"'), ("", ":")]))
    full_stop = draw(st.sampled_from(["", ".", ",", "!", "?"]))
    before = f"{before} {opening}" if before else opening
    after = f"{closing}{full_stop} {after}" if after else f"{closing}{full_stop}"
    return before, after


@st.composite
def identity_numbers(draw) -> tuple[str, str, str]:
    """Draw (kind, number as written, the same with a wrong check digit)."""
    born = draw(st.dates(date(1900, 1, 1), date(2025, 12, 31)))
    kind = draw(st.sampled_from(sorted(IDENTITY_KINDS)))
    day = born.day + (60 if kind == "samordningsnummer" else 0)
    nine = f"{born:%y%m}{day:02d}{draw(st.integers(0, 999)):03d}"
    check = luhn_digit(nine)
    wrong = str((int(check) + draw(st.integers(1, 9))) % 10)
    # "+" is only written for someone who has turned 100.
    separators = ["-", "", " "] + (["+"] if born.year < 1926 else [])
    century = draw(st.sampled_from(["", str(born.year // 100)]))
    separator = draw(st.sampled_from(separators if not century else ["-", "", " "]))
    written = f"{century}{nine[:6]}{separator}{nine[6:]}"
    return kind, written + check, written + wrong


def is_not_an_acronym(letters: str) -> bool:
    """Tell whether three plate letters are free to use in a generated plate."""
    return letters not in NOT_PLATES


@st.composite
def plates(draw) -> str:
    """Draw a registration plate in the old (ABC 123) or the 2019 (ABC 12A) format."""
    letters = draw(st.text(PLATE_LETTERS, min_size=3, max_size=3).filter(is_not_an_acronym))
    last = draw(st.sampled_from("0123456789ABCDEFGHJKLMNPRSTUWXYZ"))
    tail = f"{draw(st.integers(0, 99)):02d}{last}"
    if draw(st.booleans()):
        return f"{letters}{draw(st.sampled_from(['', ' ', '-']))}{tail}"
    return f"{letters}{tail}".lower()


def digits(count: int) -> st.SearchStrategy[str]:
    """Draw a string of ``count`` digits."""
    return st.text("0123456789", min_size=count, max_size=count)


def grouped(subscriber: str) -> str:
    """Write a subscriber number the Swedish way: pairs from the right, a triple first if odd."""
    head = 3 if len(subscriber) % 2 else 2
    pairs = [subscriber[i : i + 2] for i in range(head, len(subscriber), 2)]
    return " ".join([subscriber[:head], *pairs])


@st.composite
def phone_numbers(draw) -> str:
    """Draw a Swedish mobile or landline number in one of its usual written forms."""
    if draw(st.booleans()):
        area = "7" + draw(st.sampled_from("02369"))
    else:
        area = draw(st.sampled_from(["8", *(f"{d}" for d in "12345689")]))
        area += draw(digits(draw(st.integers(0, 2))) if area != "8" else st.just(""))
    subscriber = draw(digits(draw(st.sampled_from([8 - len(area), 9 - len(area)]))))
    forms = [
        f"0{area}-{grouped(subscriber)}",
        f"0{area} {grouped(subscriber)}",
        f"0{area}-{subscriber}",
        f"0{area}{subscriber}",
        f"+46 {area} {grouped(subscriber)}",
        f"+46{area}{subscriber}",
        f"0046 {area} {grouped(subscriber)}",
        f"+46 (0){area}-{grouped(subscriber)}",
    ]
    return draw(st.sampled_from(forms))


SWEDISH_MONTHS = ["jan", "feb", "mars", "april", "maj", "juni"]
SWEDISH_MONTHS += ["juli", "aug", "sep", "okt", "nov", "dec"]
DATES = st.dates(date(1900, 1, 1), date(2099, 12, 31)).flatmap(
    lambda d: st.sampled_from(
        [
            d.isoformat(),
            f"{d:%d/%m/%Y}",
            f"{d.day}/{d.month}/{d.year}",
            f"{d.day}/{d.month} {d.year}",
            f"{d:%d.%m.%Y}",
            f"{d.day} {SWEDISH_MONTHS[d.month - 1]} {d.year}",
        ]
    )
)
TIMES = st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(0, 23)).flatmap(
    lambda t: st.sampled_from(
        [f"kl {t[0]:02d}.{t[1]:02d}", f"{t[0]:02d}:{t[1]:02d}", f"kl {t[0]}.{t[1]:02d}"]
        + [f"{t[0]:02d}.00-{t[2]:02d}.00"]
    )
)
COUNTS = st.integers(1, 500).flatmap(
    lambda n: st.sampled_from([f"ca {n} ungdomar", f"{n} personer", f"{n} st"])
)
STREETS = st.tuples(
    st.sampled_from(["Storgatan", "Kvarngatan", "Västra vägen", "Hagendalsvägen"]),
    st.integers(1, 200),
    st.sampled_from(["", "A", "B", "C", " B"]),
).map(lambda s: f"{s[0]} {s[1]}{s[2]}")
AMOUNTS = st.integers(1, 9_999_999).flatmap(
    lambda n: st.sampled_from([f"{n:,}".replace(",", " ") + unit for unit in (" kr", " kronor")])
)
POSTAL_CODES = st.integers(10000, 98499).map(lambda n: f"{n // 100} {n % 100:02d} Kumla")
YEARS = st.integers(1900, 2099).flatmap(lambda y: st.sampled_from([f"år {y}", str(y)]))
PERCENTAGES = st.tuples(st.integers(0, 100), st.integers(0, 9)).flatmap(
    lambda p: st.sampled_from([f"{p[0]} %", f"{p[0]}%", f"{p[0]},{p[1]} %"])
)
CASE_REFERENCES = st.tuples(st.integers(2000, 2099), st.integers(1, 99999)).flatmap(
    lambda c: st.sampled_from([f"ärende {c[0]}-{c[1]}", f"dnr {c[0]}-{c[1]:05d}"])
)
ORDINARY_NUMBERS = st.one_of(
    DATES, TIMES, COUNTS, STREETS, AMOUNTS, POSTAL_CODES, YEARS, PERCENTAGES, CASE_REFERENCES
)


def assert_only(item: str, kind: str, before: str, after: str) -> None:
    """Assert that ``item`` is the one finding in its sentence and the only thing masked."""
    text = before + item + after
    assert find(text) == [Finding(kind, len(before), len(before) + len(item), item)]
    assert mask(text) == before + PLACEHOLDER[kind] + after


# Generated examples


@examples
@given(identity_numbers(), surroundings())
def test_valid_identity_numbers_are_found_and_masked(number, around):
    kind, written, _ = number
    assert_only(written, kind, *around)


@examples
@given(identity_numbers(), surroundings())
def test_identity_numbers_with_a_wrong_check_digit_are_not_flagged(number, around):
    _, _, wrong = number
    text = around[0] + wrong + around[1]
    assert not kinds(text) & IDENTITY_KINDS
    # Ten digits from 0 without a separator are also how phone numbers are written.
    if not re.fullmatch(r"0\d{9}", wrong):
        assert find(text) == []
        assert mask(text) == text


@examples
@given(st.lists(ORDINARY_NUMBERS, min_size=1, max_size=5), surroundings())
def test_ordinary_numbers_are_never_masked(numbers, around):
    text = around[0] + ", ".join(numbers) + around[1]
    assert find(text) == []
    assert mask(text) == text


@examples
@given(plates(), surroundings())
def test_registration_plates_are_found_and_masked(plate, around):
    assert_only(plate, "regnr", *around)


@examples
@given(phone_numbers(), surroundings())
def test_phone_numbers_are_found_and_masked(phone, around):
    before, after = around
    [finding] = find(before + phone + after)
    # A compact ten-digit number can also be a valid personnummer, which then wins.
    if finding.kind != "telefon":
        assert re.fullmatch(r"0\d{9}", phone) and finding.kind in IDENTITY_KINDS
    assert_only(phone, finding.kind, before, after)


# Sentences from safety walks and caretakers' reports

SENTENCES = [
    (
        "Ungdomar samlades vid Kumla torg kl 21.55, ca 15 personer.",
        "Ungdomar samlades vid Kumla torg kl 21.55, ca 15 personer.",
    ),
    (
        "Bil ABC 123 stod parkerad på gräsmattan.",
        "Bil [registreringsnummer] stod parkerad på gräsmattan.",
    ),
    (
        "Ring mig på 070-123 45 67 om ni vill veta mer.",
        "Ring mig på [telefon] om ni vill veta mer.",
    ),
    (
        "Anmälare 19850101-1236 hörde glaskross vid skolan.",
        "Anmälare [personnummer] hörde glaskross vid skolan.",
    ),
    (
        "Krossad ruta på Storgatan 12B, ärende 2026-456.",
        "Krossad ruta på Storgatan 12B, ärende 2026-456.",
    ),
    (
        "Skräp för ca 1 500 kr har städats bort.",
        "Skräp för ca 1 500 kr har städats bort.",
    ),
    (
        "Trasig belysning i gångtunneln vid Kvarngatan 12B sedan 2026-11-27.",
        "Trasig belysning i gångtunneln vid Kvarngatan 12B sedan 2026-11-27.",
    ),
    (
        "Vandringen startade 27.11.2026 kl 18.00 och slutade 20:30, 27/11/2026 i protokollet.",
        "Vandringen startade 27.11.2026 kl 18.00 och slutade 20:30, 27/11/2026 i protokollet.",
    ),
    (
        "Fastighetsskötaren nås på 019-12 34 56 vardagar 08.00-16.00.",
        "Fastighetsskötaren nås på [telefon] vardagar 08.00-16.00.",
    ),
    (
        "Kontakta vaktmästaren på ola.nilsson@kumla.se för nycklar.",
        "Kontakta vaktmästaren på [e-post] för nycklar.",
    ),
    ("Mejla åsa.öberg@örebro.se.", "Mejla [e-post]."),
    (
        "Personen har samordningsnummer 490861-2346 enligt anmälan.",
        "Personen har samordningsnummer [samordningsnummer] enligt anmälan.",
    ),
    (
        "Vittnet uppgav 19490861-2346 och 121212+1212.",
        "Vittnet uppgav [samordningsnummer] och [personnummer].",
    ),
    (
        "Felaktigt personnummer 850101-1235 angavs i formuläret.",
        "Felaktigt personnummer 850101-1235 angavs i formuläret.",
    ),
    (
        "Anmälare 198501011236 och 20030322-4562 var på plats.",
        "Anmälare [personnummer] och [personnummer] var på plats.",
    ),
    (
        "Kontonummer 1234567890123 och 123456789012345 är inga personnummer.",
        "Kontonummer 1234567890123 och 123456789012345 är inga personnummer.",
    ),
    ("Ring SOS 112 vid akut fara.", "Ring SOS 112 vid akut fara."),
    (
        "Två EPA-traktorer och en A-traktor körde runt på torget.",
        "Två EPA-traktorer och en A-traktor körde runt på torget.",
    ),
    (
        "LSS-boendet på Vialundsvägen 3 har fått ny belysning.",
        "LSS-boendet på Vialundsvägen 3 har fått ny belysning.",
    ),
    (
        "Enligt KPI 2026 har kostnaden ökat med 3,5 %.",
        "Enligt KPI 2026 har kostnaden ökat med 3,5 %.",
    ),
    (
        "ABC-klubben städade parken, 25 barn deltog.",
        "ABC-klubben städade parken, 25 barn deltog.",
    ),
    (
        "Armaturerna byttes till LED 150 lm och EPA 20 km/h gäller.",
        "Armaturerna byttes till LED 150 lm och EPA 20 km/h gäller.",
    ),
    ("Postadress: Box 123, 692 31 Kumla.", "Postadress: Box 123, 692 31 Kumla."),
    (
        "Vit skåpbil med reg.nr XYZ 12A körde på gång- och cykelvägen.",
        "Vit skåpbil med reg.nr [registreringsnummer] körde på gång- och cykelvägen.",
    ),
    (
        "Bilen abc123 har stått övergiven i tre veckor.",
        "Bilen [registreringsnummer] har stått övergiven i tre veckor.",
    ),
    (
        "Rum 123 på fritidsgården var olåst, Hus 12A likaså.",
        "Rum 123 på fritidsgården var olåst, Hus 12A likaså.",
    ),
    (
        "Mopeden hade nummer MLB-456 enligt vittnet.",
        "Mopeden hade nummer [registreringsnummer] enligt vittnet.",
    ),
    ("Ring +46 70 123 45 67 eller 08-123 456 78.", "Ring [telefon] eller [telefon]."),
    ("Hans mobil 0701234567 svarar inte.", "Hans mobil [telefon] svarar inte."),
    (
        "Anmälan från 0046 70 987 65 43 kl 22.10.",
        "Anmälan från [telefon] kl 22.10.",
    ),
    (
        "Ca 20 ungdomar, varav 5 personer under 15 år, samlades vid Kumla torg.",
        "Ca 20 ungdomar, varav 5 personer under 15 år, samlades vid Kumla torg.",
    ),
    (
        "Städning för 12 000 kronor betalas av kommunen 2026.",
        "Städning för 12 000 kronor betalas av kommunen 2026.",
    ),
    (
        "Klotter på 45 % av fasaderna längs Storgatan 1–15.",
        "Klotter på 45 % av fasaderna längs Storgatan 1–15.",
    ),
    (
        "Rondellen vid E20 och väg 51 saknar belysning.",
        "Rondellen vid E20 och väg 51 saknar belysning.",
    ),
    (
        "Möte 2026-12-01 kl 08:40 i rum 2.14, dnr 2026-0123456.",
        "Möte 2026-12-01 kl 08:40 i rum 2.14, dnr 2026-0123456.",
    ),
    (
        "Uppgiftslämnare: sara@exempel.se, 073-555 12 34.",
        "Uppgiftslämnare: [e-post], [telefon].",
    ),
    ("Grannen i 1B ringde från tel:0920-123 45.", "Grannen i 1B ringde från tel:[telefon]."),
    (
        "Den 08-01-2026 14 ungdomar vid torget.",
        "Den 08-01-2026 14 ungdomar vid torget.",
    ),
    (
        "Ring 070-1234567,08-12345678 eller +46 (0)19-12 34 56.",
        "Ring [telefon],[telefon] eller [telefon].",
    ),
]


@pytest.mark.parametrize(("text", "masked"), SENTENCES)
def test_report_sentences_are_masked_as_expected(text, masked):
    assert mask(text) == masked


def test_find_reports_kind_position_and_text_in_reading_order():
    text = "Bil ABC 123, ring 070-123 45 67 eller mejla a@b.se"
    assert find(text) == [
        Finding("regnr", 4, 11, "ABC 123"),
        Finding("telefon", 18, 31, "070-123 45 67"),
        Finding("epost", 44, 50, "a@b.se"),
    ]


def test_a_personnummer_is_reported_once_as_a_personnummer():
    # Born 2003: the compact form is phone-shaped too.
    assert find("0303224562") == [Finding("personnummer", 0, 10, "0303224562")]


def test_kinds_names_what_the_writer_should_be_warned_about():
    assert kinds("Ring 070-123 45 67 eller 19121212-1212") == {"telefon", "personnummer"}
    assert kinds("Trasig lampa vid Storgatan 12") == set()


@pytest.mark.parametrize(
    ("birth_date", "valid"),
    [
        ("000229", True),  # 2000 was a leap year
        ("010229", False),
        ("19000229", False),  # 1900 was not
        ("851301", False),
        ("850132", False),
        ("850431", False),
        ("850191", True),  # samordningsnummer for 31 January
        ("850492", False),  # samordningsnummer for 32 April
        ("850100", False),
    ],
)
def test_identity_numbers_need_a_real_date(birth_date, valid):
    nine = birth_date[-6:] + "123"
    number = f"{birth_date}-123{luhn_digit(nine)}"
    assert bool(kinds(number) & IDENTITY_KINDS) == valid
