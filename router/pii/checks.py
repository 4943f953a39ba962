"""Checksums and plausibility checks that turn a look-alike number into an identifier (python-stdnum)."""

import datetime
import re

from stdnum import luhn
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.pt import nif
from stdnum.us import ssn

DIGITS = re.compile(r"\d")


def compact(value: str) -> str:
    """The value without spaces, dots and dashes, upper-cased."""
    return re.sub(r"[\s.\-/]", "", value).upper()


def fr_nir(value: str) -> bool:
    """French social security number: 13 digits and a mod-97 key (Corsica 2A/2B included)."""
    return nir.is_valid(compact(value))


def es_dni_or_nie(value: str) -> bool:
    """Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter), check letter verified."""
    value = compact(value)
    return dni.is_valid(value) or nie.is_valid(value)


def pt_nif(value: str) -> bool:
    """Portuguese tax number: 9 digits, mod-11 check digit."""
    return nif.is_valid(compact(value))


def de_idnr(value: str) -> bool:
    """German tax identification number: 11 digits, ISO 7064 check digit, one repeated digit."""
    return idnr.is_valid(compact(value))


def us_ssn(value: str) -> bool:
    """US SSN: area not 000/666/9xx, group not 00, serial not 0000, not a known advertising number."""
    return ssn.is_valid(compact(value))


def sa_national_id(value: str) -> bool:
    """Saudi national ID (starts with 1) or iqama (2): 10 digits with a Luhn check digit."""
    value = compact(value)
    return len(value) == 10 and value[0] in "12" and luhn.is_valid(value)


def enough_digits(value: str, minimum: int = 6) -> bool:
    """Account numbers and sort codes: at least this many digits."""
    return len(DIGITS.findall(value)) >= minimum


def has_digit(value: str) -> bool:
    """Passport and document numbers always hold a digit; a word after 'passport' is not one."""
    return bool(DIGITS.search(value))


def looks_like_secret(value: str) -> bool:
    """A password or token: a digit, a symbol or an inner capital ('Summer2024!', 'hunter2', 'pAss')."""
    return bool(re.search(r"\d|[^\w\s]|\w[A-Z]", value))


def plausible_birth_date(value: str) -> bool:
    """A date whose year (when written as four digits) is a birth year: 1900 to this year."""
    years = [int(year) for year in re.findall(r"(?<!\d)(\d{4})(?!\d)", value)]
    return all(1900 <= year <= datetime.date.today().year for year in years)


def payment_card(value: str) -> bool:
    """Card numbers of the networks presidio's recognizer misses (Mastercard 2-series...): Luhn, 13-19 digits."""
    value = compact(value)
    return 13 <= len(value) <= 19 and luhn.is_valid(value)
