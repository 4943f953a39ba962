"""The PII probe: tickets with planted values in six languages, written apart from the unit tests' cases.

Values come from Faker's locales (names, emails, streets, cities) and from the formats' own rules
(checksummed identifiers built with python-stdnum, Luhn cards, real JWT structure), so the probe
does not reuse the scrubber's lists. Its templates (devkit/pii_probe_texts.py) are not the unit
tests' (devkit/pii_cases.py).
"""

import base64
import json
import random
import string
from dataclasses import dataclass
from datetime import date

import phonenumbers
from faker import Faker
from stdnum import iban, luhn
from stdnum.de import idnr
from stdnum.es import dni
from stdnum.fr import nir
from stdnum.iso7064 import mod_11_10
from stdnum.pt import nif

from devkit.pii_probe_texts import TEMPLATES

LOCALES = {"en": "en_GB", "fr": "fr_FR", "de": "de_DE", "es": "es_ES", "pt": "pt_PT", "ar": "ar_SA"}
PHONE_REGIONS = {"en": "GB", "fr": "FR", "de": "DE", "es": "ES", "pt": "PT", "ar": "SA"}
MONTH_NAMES = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
}
SAUDI_CITIES = ["الرياض", "جدة", "الدمام", "مكة المكرمة", "المدينة المنورة", "الخبر", "أبها", "تبوك"]

KEPT_CUES = ("password: ", "Bearer ")


@dataclass(frozen=True)
class ProbeCase:
    """One ticket with one planted value; `rest` is the template without it (for the leak check)."""

    language: str
    entity_type: str
    value: str
    text: str
    rest: str


class ValueMaker:
    """Planted values of every type for one language, from Faker and the formats' own rules."""

    def __init__(self, language: str, seed: int) -> None:
        self.language = language
        self.random = random.Random(f"{seed}-{language}")
        self.faker = Faker(LOCALES[language])
        self.faker.seed_instance(seed)

    def digits(self, count: int) -> str:
        return "".join(self.random.choice(string.digits) for _ in range(count))

    def person(self) -> str:
        return f"{self.faker.first_name()} {self.faker.last_name()}"

    def email_address(self) -> str:
        name = Faker("en_GB").user_name() if self.language == "ar" else self.faker.user_name()
        return f"{name}@{self.faker.free_email_domain()}"

    def phone_number(self) -> str:
        region = PHONE_REGIONS[self.language]
        while True:
            number = self.faker.phone_number() if self.language != "ar" else "05" + self.digits(8)
            try:
                parsed = phonenumbers.parse(number, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(parsed) and "x" not in number:
                return number

    def credit_card(self) -> str:
        number = self.faker.credit_card_number(card_type=self.random.choice(["visa", "mastercard"]))
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if self.random.random() < 0.5 else number

    def iban_code(self) -> str:
        country = {"en": "GB", "fr": "FR", "de": "DE", "es": "ES", "pt": "PT", "ar": "SA"}[self.language]
        length = {"GB": 18, "FR": 23, "DE": 18, "ES": 20, "PT": 21, "SA": 20}[country]
        bban = (self.faker.lexify("????").upper() if country == "GB" else "") + self.digits(
            length - 4 * (country == "GB")
        )
        check = iban.calc_check_digits(f"{country}00{bban}")
        value = f"{country}{check}{bban}"
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if self.random.random() < 0.5 else value

    def ip_address(self) -> str:
        return self.faker.ipv4_private() if self.random.random() < 0.7 else self.faker.ipv6()

    def url_with_credentials(self) -> str:
        scheme = self.random.choice(["https", "ssh", "postgres", "ftp"])
        password = self.faker.password(length=10, special_chars=False)
        return f"{scheme}://{self.faker.user_name()}:{password}@{self.faker.domain_name()}/x"

    def national_id(self) -> str:
        return getattr(self, f"national_id_{self.language}")()

    def national_id_en(self) -> str:
        prefix = self.random.choice(["AB", "CE", "JG", "PR", "SW", "WK"])
        return f"{prefix} {self.digits(2)} {self.digits(2)} {self.digits(2)} {self.random.choice('ABCD')}"

    def national_id_fr(self) -> str:
        body = f"{self.random.choice('12')}{self.random.randint(50, 99)}{self.random.randint(1, 12):02d}"
        body += f"{self.random.randint(1, 95):02d}{self.digits(3)}{self.digits(3)}"
        value = body + nir.calc_check_digits(body)
        return " ".join([value[0], value[1:3], value[3:5], value[5:7], value[7:10], value[10:13], value[13:]])

    def national_id_de(self) -> str:
        while True:
            body = self.random.choice("123456789") + self.digits(9)
            if len(set(body)) == 9:  # exactly one digit repeated, as the format requires
                value = body + mod_11_10.calc_check_digit(body)
                if idnr.is_valid(value):
                    return value

    def national_id_es(self) -> str:
        if self.random.random() < 0.5:
            body = self.digits(8)
            return body + dni.calc_check_digit(body)
        letter = self.random.choice("XYZ")
        body = self.digits(7)
        return letter + body + dni.calc_check_digit(str("XYZ".index(letter)) + body)

    def national_id_pt(self) -> str:
        body = self.random.choice("123") + self.digits(7)
        return body + nif.calc_check_digit(body)

    def national_id_ar(self) -> str:
        body = self.random.choice("12") + self.digits(8)
        return body + luhn.calc_check_digit(body)

    def passport(self) -> str:
        shapes = {
            "en": lambda: self.digits(9),
            "fr": lambda: self.digits(2) + self.faker.lexify("??").upper() + self.digits(5),
            "de": lambda: self.random.choice("CFGHJK") + self.faker.bothify("#?##?#?#", letters="CFGHJKLMNPRTVWXYZ"),
            "es": lambda: self.faker.lexify("???").upper() + self.digits(6),
            "pt": lambda: self.faker.lexify("?").upper() + self.digits(6),
            "ar": lambda: self.faker.lexify("?").upper() + self.digits(8),
        }
        return shapes[self.language]()

    def date_of_birth(self) -> str:
        born: date = self.faker.date_of_birth(minimum_age=18, maximum_age=70)
        months = MONTH_NAMES[self.language].split()
        shapes = [
            f"{born.day:02d}/{born.month:02d}/{born.year}",
            f"{born.day}.{born.month}.{born.year}"
            if self.language == "de"
            else f"{born.year}-{born.month:02d}-{born.day:02d}",
            f"{born.day} {'de ' if self.language in ('es', 'pt') else ''}{months[born.month - 1]}"
            f"{' de' if self.language in ('es', 'pt') else ''} {born.year}",
        ]
        return self.random.choice(shapes)

    def address(self) -> str:
        if self.language == "ar":
            return f"شارع {self.faker.first_name()} {self.faker.last_name()}، {self.random.choice(SAUDI_CITIES)}"
        if self.language == "en":
            kind = self.random.choice(["Street", "Road", "Avenue", "Lane", "Close", "Drive", "Gardens"])
            return f"{self.random.randint(1, 250)} {self.faker.last_name()} {kind}, {self.faker.postcode()}"
        return f"{self.faker.street_address()}, {self.faker.postcode()} {self.faker.city()}".replace("\n", ", ")

    def bank_account(self, template: str) -> str:
        if "sort code" in template:
            return f"{self.digits(2)}-{self.digits(2)}-{self.digits(2)}"
        if self.language == "en":
            return self.digits(8)
        lengths = {"fr": 11, "de": 10, "es": 20, "pt": 21, "ar": 14}
        return self.digits(lengths[self.language])

    def secret(self) -> str:
        kind = self.random.choice(["aws", "jwt", "bearer", "github", "password"])
        if kind == "aws":
            return "AKIA" + "".join(self.random.choice(string.ascii_uppercase + string.digits) for _ in range(16))
        if kind == "jwt":
            header = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()).rstrip(b"=")
            body = base64.urlsafe_b64encode(json.dumps({"sub": self.faker.user_name()}).encode()).rstrip(b"=")
            return f"{header.decode()}.{body.decode()}.{self.faker.sha1()[:30]}"
        if kind == "bearer":
            return "Bearer " + self.faker.sha256()[:40]
        if kind == "github":
            return "ghp_" + "".join(self.random.choice(string.ascii_letters + string.digits) for _ in range(36))
        return "password: " + self.faker.password(length=12)

    def value(self, entity_type: str, template: str) -> str:
        if entity_type == "BANK_ACCOUNT":
            return self.bank_account(template)
        return getattr(self, entity_type.lower())()


def split_cue(value: str) -> tuple[str, str]:
    """("password: ", "s3cret") from "password: s3cret": the cue stays in the ticket on purpose."""
    for cue in KEPT_CUES:
        if value.startswith(cue):
            return cue, value[len(cue) :]
    return "", value


def probe_cases(per_cell: int, seed: int = 13) -> list[ProbeCase]:
    """`per_cell` planted values for every (language, entity type), templates taken in turn."""
    cases = []
    for language, by_type in TEMPLATES.items():
        maker = ValueMaker(language, seed)
        for entity_type, templates in by_type.items():
            for index in range(per_cell):
                template = templates[index % len(templates)]
                cue, value = split_cue(maker.value(entity_type, template))
                cases.append(
                    ProbeCase(language, entity_type, value, template.format(cue + value), template.format(cue))
                )
    return cases
