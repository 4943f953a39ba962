"""Patterns for identifiers, secrets, dates of birth, addresses and bank details, in the six languages.

A pattern's `value` group is what gets replaced (the cue before it stays: "passport <PASSPORT>"
still tells the router what the ticket is about). Weak formats (9 or 11 bare digits) count only
after a cue; strong ones (checksum letters, fixed shapes) count anywhere.
"""

from collections.abc import Callable
from dataclasses import dataclass

from router.pii import checks, cues


@dataclass(frozen=True)
class ValuePattern:
    """One way an entity is written; `validate` (a checksum...) must accept the value."""

    entity: str
    name: str
    regex: str
    score: float
    validate: Callable[[str], bool] | None = None


def cued(cue: str, value: str) -> str:
    """`value` after a cue word (any case), its connectors and up to two other short words
    ("passport number: X", "número de cuenta antiguo X")."""
    filler = rf"(?:[^\W\d_]{{1,12}}[^\S\n]+{cues.CONNECTOR}){{0,2}}"
    return rf"(?i:(?<![^\W\d_])(?:{cue})(?![^\W\d_])){cues.CONNECTOR}{filler}(?<!\w)(?P<value>{value})"


def alone(value: str) -> str:
    """`value` not glued to other letters or digits."""
    return rf"(?<![\w+/@-])(?P<value>{value})(?![\w@]|-\w)"


# ---- national identifiers ----------------------------------------------------------------------
FR_NIR = r"[12][\s.]?\d{2}[\s.]?(?:0[1-9]|1[0-2]|[2-9]\d)[\s.]?(?:\d{2}|2[ABab])[\s.]?\d{3}[\s.]?\d{3}[\s.]?\d{2}"
ES_DNI = r"\d{8}[\s-]?[A-Za-z]"
ES_NIE = r"[XYZxyz][\s-]?\d{7}[\s-]?[A-Za-z]"
UK_NINO = r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}[\s-]?[A-D]"
US_SSN = r"\d{3}[-\s]\d{2}[-\s]\d{4}"
NINE_DIGITS = r"\d{3}[\s.-]?\d{3}[\s.-]?\d{3}"
ELEVEN_DIGITS = r"\d{2}[\s.]?\d{3}[\s.]?\d{3}[\s.]?\d{3}"
TEN_DIGITS = r"[12]\d{9}"
DOCUMENT_NUMBER = r"(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{6,10}"

# ---- dates ---------------------------------------------------------------------------------------
MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    r"januar|jänner|februar|märz|maerz|april|juni|juli|oktober|dezember|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    r"janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    r"يناير|فبراير|مارس|أبريل|ابريل|إبريل|مايو|يونيو|يونيه|يوليو|يوليه|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|"
    r"كانون\s+الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين\s+الأول|تشرين\s+الثاني|كانون\s+الأول"
)
DATE = (
    r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2}|"
    rf"\d{{1,2}}(?:st|nd|rd|th|er|º|°)?\.?\s*(?:de\s+|of\s+)?(?i:{MONTHS})\.?,?\s*(?:de\s+)?\d{{4}}|"
    rf"(?i:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
)

# ---- addresses -----------------------------------------------------------------------------------
CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"  # a capitalised word
HOUSE = r"\d{1,4}(?:\s?[A-Za-z](?![\w.]))?(?:\s?[/-]\s?\d{1,4})?|S/N"  # 12, 12a, 8/4, 7-9, S/N (no number)
EN_STREET = (
    rf"\d{{1,5}}[A-Za-z]?,?\s+(?:{CAP}\s+){{1,4}}(?i:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|"
    r"way|court|ct|place|pl|square|sq|terrace|close|crescent|gardens|hill|park|row|mews|parkway|highway|hwy|"
    r"passage|walk|grove|green|view|rise|vale|meadows?|fields?|wharf|parade|circus|gate|yard)\b\.?"
)
FR_STREET = (
    r"(?:\d{1,4}(?:\s?(?:bis|ter|[A-Da-d]))?,?\s+)?(?<![\w.])(?i:rue|avenue|av\.|boulevard|bd|place|allée|impasse|chemin|quai|"
    rf"route|cours|square|passage|voie)\s+(?:(?:de\s+la|de\s+l['’]|de|du|des|d['’]|la|le|les|l['’])\s*)?{CAP}"
    rf"(?:\s+(?:(?:de\s+la|de|du|des|la|le|les|d['’]|l['’])\s*)?{CAP}){{0,4}}"
)
DE_STREET = (
    r"(?:[A-ZÄÖÜ][\wäöüß-]*(?i:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|steig|pfad)"
    r"|(?:[A-ZÄÖÜ][\wäöüß-]*\s+)+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Chaussee))"
    rf"\s+(?:{HOUSE})\b"
)
IBERIAN_STREET = (
    r"(?<![\w.])(?i:calle|c/|c\.|avenida|avda\.|av\.?|plaza|pza\.|paseo|camino|carretera|ronda|travesía|urbanización|vial|"
    r"callejón|pasaje|pasadizo|cuesta|glorieta|rua|r\.|travessa|praça|largo|estrada|alameda|rodovia|beco|"
    r"calçada)\s+(?:(?:de\s+la|de\s+los|de\s+las|del|de|da|do|das|dos|la|el|los|las)\s+)?"
    rf"(?:(?i:prof|dr|eng|sr|d)\.\s+)?{CAP}"
    rf"(?:\s+(?:(?:de\s+la|del|de|da|do|das|dos|la|el|y|e)\s+)?{CAP}){{0,4}}(?:,?\s*(?:n\.?[º°o]\.?\s*)?(?:{HOUSE}))?"
    r"(?:,?\s+(?i:piso|puerta|apt\.?|bajo|esc\.?|portal|andar|dto\.?|esq\.?)\s*\w{1,3}\.?)*"
)
ARABIC_WORD = r"(?!(?:في|من|إلى|الى|على|عن|مع|قرب|بجوار|بجانب|عند|رقم|و)(?![\u0621-\u064A]))[\u0621-\u064A]+"
AR_STREET = (
    rf"(?:شارع|جادة)\s+{ARABIC_WORD}(?:\s+{ARABIC_WORD}){{0,3}}(?:\s*[،,]?\s*(?:رقم\s*)?\d{{1,5}})?"
    rf"(?:\s*[،,]\s*{ARABIC_WORD}(?:\s+{ARABIC_WORD})?)?"  # the city after a comma
)
CITY = r"[A-ZÀ-Þ][A-Za-zÀ-ÿ]+(?:[\s-]+(?:[a-zà-ÿ]{1,5}[\s-]+)?[A-ZÀ-Þ][A-Za-zÀ-ÿ]+){0,3}"  # Neunburg vorm Wald
POSTCODE_CITY = rf"(?:\d{{5}}|\d{{4}}-\d{{3}})\s+{CITY}"
UK_POSTCODE = r"(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})"
CITY_AFTER = rf"(?:,\s*(?:\d{{4,5}}(?:-\d{{3}})?\s+)?{CITY})?"

# ---- secrets -------------------------------------------------------------------------------------
KEY_LIKE = r"[A-Za-z0-9._~+/=-]{12,}"
CREDENTIAL_VALUE = r"[^\s\"'<>]{3,64}?(?=[.,;!?)]*(?:\s|$|[\"'<>]))"

CARD = r"(?:4\d{3}|5[1-5]\d{2}|2[2-7]\d{2}|6\d{3}|3[47]\d{2})(?:[ -]?\d){9,15}"

PATTERNS: tuple[ValuePattern, ...] = (
    ValuePattern("CREDIT_CARD", "card number", alone(CARD), 0.8, checks.payment_card),
    ValuePattern("NATIONAL_ID", "fr nir", alone(FR_NIR), 0.9, checks.fr_nir),
    ValuePattern("NATIONAL_ID", "es dni", alone(ES_DNI), 0.85, checks.es_dni_or_nie),
    ValuePattern("NATIONAL_ID", "es nie", alone(ES_NIE), 0.85, checks.es_dni_or_nie),
    ValuePattern("NATIONAL_ID", "uk nino", alone(UK_NINO), 0.75),
    ValuePattern("NATIONAL_ID", "us ssn", alone(US_SSN), 0.7, checks.us_ssn),
    ValuePattern("NATIONAL_ID", "us ssn after cue", cued(cues.NATIONAL_ID, r"\d{9}"), 0.85, checks.us_ssn),
    ValuePattern("NATIONAL_ID", "pt nif after cue", cued(cues.NATIONAL_ID, NINE_DIGITS), 0.85, checks.pt_nif),
    ValuePattern("NATIONAL_ID", "de idnr after cue", cued(cues.NATIONAL_ID, ELEVEN_DIGITS), 0.85, checks.de_idnr),
    ValuePattern("NATIONAL_ID", "sa id after cue", cued(cues.NATIONAL_ID, TEN_DIGITS), 0.85, checks.sa_national_id),
    ValuePattern(
        "NATIONAL_ID", "id document after cue", cued(cues.NATIONAL_ID, DOCUMENT_NUMBER), 0.6, checks.has_digit
    ),
    ValuePattern("PASSPORT", "passport after cue", cued(cues.PASSPORT, DOCUMENT_NUMBER), 0.85, checks.has_digit),
    ValuePattern("DATE_OF_BIRTH", "date after cue", cued(cues.DATE_OF_BIRTH, DATE), 0.85, checks.plausible_birth_date),
    ValuePattern(
        "DATE_OF_BIRTH",
        "date before cue",
        rf"(?P<value>{DATE})[^\S\n]+(?i:geboren|née?\b)",
        0.85,
        checks.plausible_birth_date,
    ),
    ValuePattern("ADDRESS", "street en", rf"(?P<value>{EN_STREET}{CITY_AFTER})", 0.7),
    ValuePattern("ADDRESS", "street fr", rf"(?P<value>{FR_STREET}{CITY_AFTER})", 0.7),
    ValuePattern("ADDRESS", "street de", rf"(?P<value>{DE_STREET}{CITY_AFTER})", 0.7),
    ValuePattern("ADDRESS", "street es pt", rf"(?P<value>{IBERIAN_STREET}{CITY_AFTER})", 0.7),
    ValuePattern("ADDRESS", "street ar", rf"(?P<value>{AR_STREET})", 0.7),
    ValuePattern("ADDRESS", "postcode and city", alone(POSTCODE_CITY), 0.5),
    ValuePattern("ADDRESS", "uk postcode", alone(UK_POSTCODE), 0.7),
    ValuePattern("ADDRESS", "postcode after cue", cued(cues.POSTCODE, r"\d{4,5}(?:-\d{3,4})?|" + UK_POSTCODE), 0.8),
    ValuePattern(
        "BANK_ACCOUNT", "account after cue", cued(cues.BANK_ACCOUNT, r"\d[\d\s-]{4,32}\d"), 0.85, checks.enough_digits
    ),
    ValuePattern(
        "SECRET",
        "cloud access key",
        alone(r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}"),
        0.95,
    ),
    ValuePattern("SECRET", "google api key", alone(r"AIza[0-9A-Za-z_-]{35}"), 0.95),
    ValuePattern(
        "SECRET", "github token", alone(r"gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}"), 0.95
    ),
    ValuePattern("SECRET", "slack token", alone(r"xox[abposr]-[A-Za-z0-9-]{10,}"), 0.95),
    ValuePattern("SECRET", "stripe key", alone(r"[rs]k_(?:live|test)_[A-Za-z0-9]{16,}"), 0.95),
    ValuePattern("SECRET", "jwt", alone(r"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), 0.95),
    ValuePattern(
        "SECRET",
        "private key",
        r"(?P<value>-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----)",
        0.99,
    ),
    ValuePattern(
        "SECRET", "connection string key", r"(?i:accountkey|sharedaccesskey|password|pwd)=(?P<value>[^;\s]{4,})", 0.9
    ),
    ValuePattern(
        "SECRET",
        "bearer token",
        r"(?i:bearer|basic)\s+(?P<value>[A-Za-z0-9._~+/-]{12,}=*)",
        0.9,
        checks.looks_like_secret,
    ),
    ValuePattern(
        "SECRET", "key or token after cue", cued(cues.API_KEY_WORDS, KEY_LIKE), 0.85, checks.looks_like_secret
    ),
    ValuePattern(
        "SECRET",
        "password after a colon",
        rf"(?i:(?<![^\W\d_])(?:{cues.CREDENTIAL_WORDS}))\s*[:=]\s*(?P<value>{CREDENTIAL_VALUE})",
        0.85,
    ),
    ValuePattern(
        "SECRET", "password after a verb", cued(cues.CREDENTIAL_WORDS, CREDENTIAL_VALUE), 0.8, checks.looks_like_secret
    ),
)
