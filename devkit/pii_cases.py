"""Tickets with planted PII in the six languages, every entity type (the unit tests' cases).

The benchmark's probe (devkit/pii_probe.py) uses other templates and other values; these are
fixed, hand-checked values (identifiers carry valid checksums).
"""

import re
from dataclasses import dataclass

LANGUAGES = ("en", "fr", "de", "es", "pt", "ar")
PLACEHOLDER = re.compile(r"<[A-Z_]+>")

# entity type -> values; each value is planted in every language's template(s) for that type.
VALUES = {
    "EMAIL_ADDRESS": ["john.smith@acme.com", "m.dubois@exemple.fr", "ahmed.ali@example.sa"],
    "CREDIT_CARD": ["4111 1111 1111 1111", "5500-0000-0000-0004", "2223000048400011"],
    "IBAN_CODE": ["GB82 WEST 1234 5698 7654 32", "FR76 3000 6000 0112 3456 7890 189", "SA03 8000 0000 6080 1016 7519"],
    "IP_ADDRESS": ["192.168.10.24", "2001:db8::ff00:42:8329"],
    "URL_WITH_CREDENTIALS": [
        "https://admin:S3cret@git.acme.com/repo.git",
        "postgres://app:hunter2@db.internal:5432/prod",
    ],
    "SECRET": ["AKIAIOSFODNN7EXAMPLE", "ghp_4Rt7Yq2Lm9Xc1Vb8Nz3Kd6Hs0Jf5Ga2We7Pq"],
    "PASSPORT": ["X1234567", "18AB34567"],
}
# Values written the way one country writes them: planted in that language's templates only.
LOCAL_VALUES = {
    "PHONE_NUMBER": {
        "en": ["+1 (415) 555-0132", "020 7946 0958"],
        "fr": ["06 12 34 56 78", "+33 1 42 68 53 00"],
        "de": ["+49 30 12345678", "0171 2345678"],
        "es": ["612 345 678", "+34 912 345 678"],
        "pt": ["912 345 678", "+351 213 456 789"],
        "ar": ["+966 50 123 4567", "٠٥٠١٢٣٤٥٦٧"],
    },
    "NATIONAL_ID": {
        "en": ["AB 12 34 56 C", "536-22-8471"],
        "fr": ["1 85 05 78 006 084 91", "269027512000539"],
        "de": ["86309517621", "47 192 835 611"],
        "es": ["48291736Q", "Y3914582L"],
        "pt": ["253918472", "184 726 352"],
        "ar": ["1048273955", "2093847560"],
    },
    "DATE_OF_BIRTH": {
        "en": ["12/03/1985", "March 4, 1979"],
        "fr": ["12/03/1985", "4 mars 1979"],
        "de": ["12.03.1985", "4. März 1979"],
        "es": ["12/03/1985", "4 de marzo de 1979"],
        "pt": ["12/03/1985", "4 de março de 1979"],
        "ar": ["12/03/1985", "4 مارس 1979"],
    },
    "ADDRESS": {
        "en": ["221B Baker Street, London NW1 6XE", "42 Station Road, Leeds"],
        "fr": ["12 rue de la Paix, 75002 Paris", "8 bis avenue Jean Jaurès, 69007 Lyon"],
        "de": ["Hauptstraße 12, 10115 Berlin", "Berliner Allee 7a, 40212 Düsseldorf"],
        "es": ["Calle Mayor 15, 28013 Madrid", "Avenida de la Constitución 3, 41004 Sevilla"],
        "pt": ["Rua Augusta 100, 1100-048 Lisboa", "Avenida da Liberdade, 245, 1250-143 Lisboa"],
        "ar": ["شارع الملك فهد، الرياض", "شارع التحلية 12، جدة"],
    },
    "BANK_ACCOUNT": {
        "en": ["31926819", "20-00-00"],
        "fr": ["00012345678", "30004 01234 00012345678 42"],
        "de": ["1234567890", "0532013000"],
        "es": ["2100 0418 45 0200051332", "0049 1500 05 1234567890"],
        "pt": ["0002 0123 12345678901 54", "003500000012345678901"],
        "ar": ["608010167519", "12345678901234"],
    },
    "PERSON": {
        "en": ["John Smith", "Sarah Connor", "Ahmed Al-Sayed"],
        "fr": ["Marie Dubois", "Jean-Pierre Martin"],
        "de": ["Jürgen Weber", "Anna Schneider"],
        "es": ["María García", "José Luis Fernández"],
        "pt": ["João Silva", "Ana Costa"],
        "ar": ["محمد العلي", "فاطمة الزهراء", "أحمد بن سالم"],
    },
}

TEMPLATES = {
    "en": {
        "EMAIL_ADDRESS": "My laptop will not boot, please contact me at {} when you can.",
        "PHONE_NUMBER": "The printer on floor 3 is jammed again, call me on {} please.",
        "CREDIT_CARD": "I was charged twice for the software licence on card {}, please check.",
        "IBAN_CODE": "Please refund the duplicate invoice to IBAN {} this week.",
        "IP_ADDRESS": "The file server {} is not reachable from the VPN since this morning.",
        "URL_WITH_CREDENTIALS": "The build fails when cloning {} with an authentication error.",
        "SECRET": "The deploy script still uses the key {} in plain text.",
        "PASSPORT": "For the conference trip my passport number is {}.",
        "NATIONAL_ID": "Payroll needs my national insurance number {} to fix the payslip.",
        "DATE_OF_BIRTH": "The HR portal says my date of birth {} is invalid.",
        "ADDRESS": "Please send the new monitor to {} by Friday.",
        "BANK_ACCOUNT": "My salary went to the old account number {} again.",
        "PERSON": "Hi, this is {} from accounting, my laptop screen is broken.",
    },
    "fr": {
        "EMAIL_ADDRESS": "Mon ordinateur ne démarre plus, écrivez-moi à {} merci.",
        "PHONE_NUMBER": "L'imprimante du deuxième étage est bloquée, appelez-moi au {} svp.",
        "CREDIT_CARD": "J'ai été débité deux fois pour la licence sur la carte {}, merci de vérifier.",
        "IBAN_CODE": "Merci de rembourser la facture en double sur l'IBAN {} cette semaine.",
        "IP_ADDRESS": "Le serveur de fichiers {} ne répond plus depuis ce matin.",
        "URL_WITH_CREDENTIALS": "Le clonage de {} échoue avec une erreur d'authentification.",
        "SECRET": "Le script de déploiement contient encore la clé {} en clair.",
        "PASSPORT": "Pour le déplacement, mon numéro de passeport est {}.",
        "NATIONAL_ID": "La paie a besoin de mon numéro de sécurité sociale {} pour corriger le bulletin.",
        "DATE_OF_BIRTH": "Le portail RH refuse ma date de naissance {}.",
        "ADDRESS": "Merci d'envoyer le nouvel écran au {} avant vendredi.",
        "BANK_ACCOUNT": "Mon salaire est encore parti sur l'ancien numéro de compte {}.",
        "PERSON": "Bonjour, je suis {} de la comptabilité, mon écran est cassé.",
    },
    "de": {
        "EMAIL_ADDRESS": "Mein Laptop startet nicht mehr, bitte schreiben Sie an {}.",
        "PHONE_NUMBER": "Der Drucker im dritten Stock klemmt, bitte rufen Sie mich unter {} an.",
        "CREDIT_CARD": "Die Softwarelizenz wurde zweimal von der Karte {} abgebucht.",
        "IBAN_CODE": "Bitte erstatten Sie die doppelte Rechnung auf die IBAN {}.",
        "IP_ADDRESS": "Der Dateiserver {} ist seit heute Morgen nicht erreichbar.",
        "URL_WITH_CREDENTIALS": "Das Klonen von {} scheitert mit einem Anmeldefehler.",
        "SECRET": "Das Deploy-Skript enthält noch den Schlüssel {} im Klartext.",
        "PASSPORT": "Für die Dienstreise: meine Reisepassnummer ist {}.",
        "NATIONAL_ID": "Die Lohnbuchhaltung braucht meine Steuer-ID {} für die Abrechnung.",
        "DATE_OF_BIRTH": "Das HR-Portal lehnt mein Geburtsdatum {} ab.",
        "ADDRESS": "Bitte schicken Sie den Monitor an {} bis Freitag.",
        "BANK_ACCOUNT": "Mein Gehalt ging wieder auf die alte Kontonummer {}.",
        "PERSON": "Hallo, ich bin {} und mein Laptop ist kaputt.",
    },
    "es": {
        "EMAIL_ADDRESS": "Mi portátil no arranca, escríbanme a {} por favor.",
        "PHONE_NUMBER": "La impresora de la tercera planta está atascada, llámenme al {} por favor.",
        "CREDIT_CARD": "Me cobraron dos veces la licencia en la tarjeta {}, revisen por favor.",
        "IBAN_CODE": "Devuelvan la factura duplicada al IBAN {} esta semana.",
        "IP_ADDRESS": "El servidor de archivos {} no responde desde esta mañana.",
        "URL_WITH_CREDENTIALS": "El clonado de {} falla con un error de autenticación.",
        "SECRET": "El script de despliegue todavía tiene la clave {} en claro.",
        "PASSPORT": "Para el viaje, mi número de pasaporte es {}.",
        "NATIONAL_ID": "Nóminas necesita mi DNI {} para corregir la nómina.",
        "DATE_OF_BIRTH": "El portal de RR. HH. rechaza mi fecha de nacimiento {}.",
        "ADDRESS": "Envíen el monitor nuevo a {} antes del viernes.",
        "BANK_ACCOUNT": "Mi sueldo volvió a ir al número de cuenta antiguo {}.",
        "PERSON": "Hola, soy {} de contabilidad y mi pantalla está rota.",
    },
    "pt": {
        "EMAIL_ADDRESS": "O meu portátil não arranca, escrevam-me para {} por favor.",
        "PHONE_NUMBER": "A impressora do terceiro andar está encravada, liguem-me para o {} por favor.",
        "CREDIT_CARD": "Cobraram duas vezes a licença no cartão {}, verifiquem por favor.",
        "IBAN_CODE": "Devolvam a fatura duplicada para o IBAN {} esta semana.",
        "IP_ADDRESS": "O servidor de ficheiros {} não responde desde esta manhã.",
        "URL_WITH_CREDENTIALS": "A clonagem de {} falha com um erro de autenticação.",
        "SECRET": "O script de deploy ainda tem a chave {} em claro.",
        "PASSPORT": "Para a viagem, o número do meu passaporte é {}.",
        "NATIONAL_ID": "Os salários precisam do meu NIF {} para corrigir o recibo.",
        "DATE_OF_BIRTH": "O portal de RH recusa a minha data de nascimento {}.",
        "ADDRESS": "Enviem o monitor novo para {} até sexta-feira.",
        "BANK_ACCOUNT": "O meu salário voltou a ir para o número da conta antiga {}.",
        "PERSON": "Olá, sou {} da contabilidade e o meu ecrã está partido.",
    },
    "ar": {
        "EMAIL_ADDRESS": "جهازي لا يعمل، يرجى مراسلتي على {} في أقرب وقت.",
        "PHONE_NUMBER": "الطابعة في الطابق الثالث معطلة، اتصل بي على الرقم {} من فضلك.",
        "CREDIT_CARD": "تم خصم رسوم الترخيص مرتين من البطاقة {} يرجى التحقق.",
        "IBAN_CODE": "يرجى إعادة المبلغ إلى الحساب {} هذا الأسبوع.",
        "IP_ADDRESS": "الخادم {} لا يستجيب منذ الصباح.",
        "URL_WITH_CREDENTIALS": "فشل الاستنساخ من {} بسبب خطأ في المصادقة.",
        "SECRET": "سكربت النشر ما زال يحتوي على المفتاح {} بشكل واضح.",
        "PASSPORT": "من أجل السفر، رقم جواز السفر هو {}.",
        "NATIONAL_ID": "قسم الرواتب يحتاج رقم الهوية {} لتصحيح الكشف.",
        "DATE_OF_BIRTH": "بوابة الموارد البشرية ترفض تاريخ الميلاد {}.",
        "ADDRESS": "يرجى إرسال الشاشة الجديدة إلى {} قبل الخميس.",
        "BANK_ACCOUNT": "ذهب راتبي مرة أخرى إلى رقم الحساب القديم {}.",
        "PERSON": "مرحبا، اسمي {} ولا أستطيع تسجيل الدخول إلى البريد.",
    },
}

# Names without an introducing word, or in lower case after one: the scrubber must catch these too.
NAME_PHRASINGS = {
    "en": ["Please ask {} to reset my VPN token.", "ticket raised by {} yesterday, outlook keeps crashing"],
    "fr": ["{} n'arrive plus à imprimer depuis la mise à jour."],
    "de": ["Können Sie {} bitte einen neuen Zugang geben?"],
    "es": ["{} no puede imprimir desde la actualización."],
    "pt": ["Podem dar acesso ao {} à pasta partilhada?"],
    "ar": ["أرسل {} الملف أمس لكن البريد لم يصل.", "يرجى إبلاغ المهندس {} بأن الشاشة مكسورة."],
}
LOWER_CASE_TEMPLATES = {"ticket raised by {} yesterday, outlook keeps crashing"}


@dataclass(frozen=True)
class PiiCase:
    """One ticket with one planted value of a known entity type; `rest` is the ticket without it."""

    language: str
    entity_type: str
    value: str
    text: str
    rest: str


def case(language: str, entity_type: str, value: str, template: str) -> PiiCase:
    if template in LOWER_CASE_TEMPLATES:
        value = value.lower()
    return PiiCase(language, entity_type, value, template.format(value), template.format(""))


def pii_cases() -> list[PiiCase]:
    """Every value of every type planted in every language's template(s) for that type."""
    cases = []
    for language in LANGUAGES:
        templates = TEMPLATES[language]
        for entity_type, values in VALUES.items():
            cases += [case(language, entity_type, value, templates[entity_type]) for value in values]
        for entity_type, by_language in LOCAL_VALUES.items():
            phrasings = [templates[entity_type]] + (NAME_PHRASINGS[language] if entity_type == "PERSON" else [])
            cases += [case(language, entity_type, v, t) for v in by_language[language] for t in phrasings]
    return cases


def surviving_pieces(value: str, scrubbed: str, rest: str, width: int = 4) -> list[str]:
    """Pieces of `width` characters of the value (with a letter or digit) still in the scrubbed text.

    Placeholders are ignored, and so is a piece the ticket holds around the value anyway (more
    times in the scrubbed text than in the ticket without the value means it leaked).
    """
    scrubbed, rest = PLACEHOLDER.sub(" ", scrubbed).casefold(), rest.casefold()
    pieces = {value[i : i + width].casefold() for i in range(len(value) - width + 1)}
    return sorted(
        piece
        for piece in pieces
        if any(character.isalnum() for character in piece) and scrubbed.count(piece) > rest.count(piece)
    )
