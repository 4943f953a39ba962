"""A labelled set of tickets with planted PII in English, French and Arabic (used by tests and benchmarks)."""

from dataclasses import dataclass
from itertools import product

VALUES = {
    "EMAIL_ADDRESS": {
        "en": ["john.smith@acme.com", "j_doe+it@mail.example.org"],
        "fr": ["m.dubois@exemple.fr", "jean-pierre.martin@societe.fr"],
        "ar": ["ahmed.ali@example.sa", "support@company.ae"],
    },
    "PHONE_NUMBER": {
        "en": ["+1 (415) 555-0132", "(415) 555-0198", "020 7946 0958", "+44 20 7946 0958"],
        "fr": ["06 12 34 56 78", "+33 6 12 34 56 78", "01 42 68 53 00", "+32 470 12 34 56"],
        "ar": ["+966 50 123 4567", "050 123 4567", "+971 50 123 4567", "+212 6 12 34 56 78", "٠٥٠١٢٣٤٥٦٧"],
    },
    "CREDIT_CARD": {
        "en": ["4111 1111 1111 1111", "5500-0000-0000-0004"],
        "fr": ["4012 8888 8888 1881", "378282246310005"],
        "ar": ["4111111111111111", "5555 5555 5555 4444"],
    },
    "IBAN_CODE": {
        "en": ["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00"],
        "fr": ["FR76 3000 6000 0112 3456 7890 189", "BE68 5390 0754 7034"],
        "ar": ["SA03 8000 0000 6080 1016 7519", "AE07 0331 2345 6789 0123 456"],
    },
    "IP_ADDRESS": {
        "en": ["192.168.10.24", "2001:db8::ff00:42:8329"],
        "fr": ["10.0.0.5", "172.16.254.1"],
        "ar": ["192.168.1.77", "10.20.30.40"],
    },
    "URL_WITH_CREDENTIALS": {
        "en": ["https://admin:S3cret!@git.acme.com/repo.git", "postgres://app:hunter2@db.internal:5432/prod"],
        "fr": ["ftp://backup:pa55w0rd@10.1.2.3/dumps", "https://jp:motdepasse@intranet.societe.fr/wiki"],
        "ar": ["https://ahmed:Passw0rd@portal.example.sa/login", "sftp://ops:Qwerty99@files.company.ae"],
    },
    "PERSON": {
        "en": ["John Smith", "Sarah Connor", "Michael Johnson"],
        "fr": ["Marie Dubois", "Jean-Pierre Martin", "Sophie Lefèvre"],
        "ar": ["محمد العلي", "فاطمة الزهراء", "أحمد بن سالم"],
    },
}

TEMPLATES = {
    "en": {
        "EMAIL_ADDRESS": ["My laptop will not boot, please contact me at {} when you can."],
        "PHONE_NUMBER": ["The printer on floor 3 is jammed again, call me on {} please."],
        "CREDIT_CARD": ["I was charged twice for the software licence on card {}, please check."],
        "IBAN_CODE": ["Please refund the duplicate invoice to IBAN {} this week."],
        "IP_ADDRESS": ["The file server {} is not reachable from the VPN since this morning."],
        "URL_WITH_CREDENTIALS": ["The build fails when cloning {} with an authentication error."],
        "PERSON": [
            "Hi, this is {} from accounting, my laptop screen is broken.",
            "Please ask {} to reset my VPN token.",
        ],
    },
    "fr": {
        "EMAIL_ADDRESS": ["Mon ordinateur ne démarre plus, écrivez-moi à {} merci."],
        "PHONE_NUMBER": ["L'imprimante du deuxième étage est bloquée, appelez-moi au {} svp."],
        "CREDIT_CARD": ["J'ai été débité deux fois pour la licence sur la carte {}, merci de vérifier."],
        "IBAN_CODE": ["Merci de rembourser la facture en double sur l'IBAN {} cette semaine."],
        "IP_ADDRESS": ["Le serveur de fichiers {} ne répond plus depuis ce matin."],
        "URL_WITH_CREDENTIALS": ["Le clonage de {} échoue avec une erreur d'authentification."],
        "PERSON": [
            "Bonjour, je suis {} de la comptabilité, mon écran est cassé.",
            "Merci de transmettre à {} que le VPN ne marche pas.",
        ],
    },
    "ar": {
        "EMAIL_ADDRESS": ["جهازي لا يعمل، يرجى مراسلتي على {} في أقرب وقت."],
        "PHONE_NUMBER": ["الطابعة في الطابق الثالث معطلة، اتصل بي على الرقم {} من فضلك."],
        "CREDIT_CARD": ["تم خصم رسوم الترخيص مرتين من البطاقة {} يرجى التحقق."],
        "IBAN_CODE": ["يرجى إعادة المبلغ إلى الحساب {} هذا الأسبوع."],
        "IP_ADDRESS": ["الخادم {} لا يستجيب منذ الصباح."],
        "URL_WITH_CREDENTIALS": ["فشل الاستنساخ من {} بسبب خطأ في المصادقة."],
        "PERSON": ["مرحبا، اسمي {} ولا أستطيع تسجيل الدخول إلى البريد.", "يرجى إبلاغ المهندس {} بأن الشاشة مكسورة."],
    },
}


# Harder phrasings the benchmark also measures (names without an introducing word, lower case):
# the unit tests only hold the scrubber to the templates above.
HARD_TEMPLATES = {
    "en": {"PERSON": ["ticket raised by {} yesterday, outlook keeps crashing"]},
    "fr": {"PERSON": ["{} n'arrive plus à imprimer depuis la mise à jour"]},
    "ar": {"PERSON": ["أرسل {} الملف أمس لكن البريد لم يصل"]},
}


@dataclass(frozen=True)
class PiiCase:
    """One ticket with one planted value of a known entity type."""

    language: str
    entity_type: str
    value: str
    text: str


def pii_cases(hard: bool = False) -> list[PiiCase]:
    """Every (language, entity type, value, template) combination; `hard` adds the harder phrasings."""
    cases = []
    for entity_type, by_language in VALUES.items():
        for language, values in by_language.items():
            templates = TEMPLATES[language][entity_type]
            if hard:
                templates = templates + HARD_TEMPLATES[language].get(entity_type, [])
            for value, template in product(values, templates):
                cases.append(PiiCase(language, entity_type, value, template.format(value)))
    return cases


def is_scrubbed(case: PiiCase, scrubbed_text: str, counts: dict[str, int]) -> bool:
    """The planted value is gone and was replaced by a placeholder of its own type."""
    return case.value not in scrubbed_text and counts.get(case.entity_type, 0) >= 1
