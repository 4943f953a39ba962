"""The PII probe: tickets with planted values in six languages, written apart from the unit tests' cases.

Values come from Faker's locales (names, emails, streets, cities) and from the formats' own rules
(checksummed identifiers built with python-stdnum, Luhn cards, real JWT structure), so the probe
does not reuse the scrubber's lists. Templates here are never used by tests (devkit/pii_cases.py).
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

TEMPLATES: dict[str, dict[str, list[str]]] = {
    "en": {
        "PERSON": [
            "Morning team, {} here - the docking station in room 4 stopped charging my laptop.",
            "Could someone unlock the account of {}? She is back from leave and cannot sign in.",
            "Outlook crashes whenever I open the shared calendar. Kind regards, {}",
            "New starter {} needs a laptop and a badge before Monday.",
        ],
        "EMAIL_ADDRESS": [
            "Forward the licence key to {} when it arrives.",
            "Shared mailbox {} is not syncing on my phone.",
        ],
        "PHONE_NUMBER": ["My desk line {} has no dial tone since the move.", "Text me at {} once the VPN is back."],
        "CREDIT_CARD": [
            "The store charged {} twice for one monitor.",
            "Please remove the card {} from our supplier account.",
        ],
        "IBAN_CODE": [
            "Supplier payments should go to {} from now on.",
            "Wrong IBAN on my expense claim, the right one is {}.",
        ],
        "IP_ADDRESS": [
            "The printer at {} drops off the network every hour.",
            "Firewall blocks {} after the last change.",
        ],
        "URL_WITH_CREDENTIALS": [
            "Our CI pulls from {} and now gets a 401.",
            "Jenkins job uses {} which stopped working.",
        ],
        "NATIONAL_ID": [
            "HR asked for my NI number: {}",
            "Payroll has my national insurance number wrong, it should be {}.",
        ],
        "PASSPORT": ["For the visa trip, passport no. {} expires soon.", "Travel booking failed with passport {}."],
        "DATE_OF_BIRTH": [
            "The portal wants my date of birth ({}) before resetting MFA.",
            "I was born on {} and the form rejects it.",
        ],
        "ADDRESS": ["Please ship the replacement headset to {}.", "My home office is at {} for the broadband claim."],
        "BANK_ACCOUNT": [
            "Expenses should be paid into account {} please.",
            "Payroll still shows the old sort code {}.",
        ],
        "SECRET": [
            "Rotated credentials, new one is {} - please update the vault.",
            "Deploy logs print {} in clear text!",
        ],
    },
    "fr": {
        "PERSON": [
            "Bonjour, {} à l'appareil, mon écran reste noir depuis ce matin.",
            "Pouvez-vous créer un compte pour {} qui arrive lundi ?",
            "Le badge ne fonctionne plus. Merci d'avance, {}",
            "La nouvelle stagiaire {} n'a toujours pas accès à Teams.",
        ],
        "EMAIL_ADDRESS": ["Envoyez la facture à {} s'il vous plaît.", "La boîte {} ne reçoit plus rien."],
        "PHONE_NUMBER": ["Mon poste fixe {} ne sonne plus.", "Rappelez-moi sur mon portable {} dès que possible."],
        "CREDIT_CARD": ["Ma carte {} a été refusée pour l'abonnement.", "Prélèvement en double sur la carte {}."],
        "IBAN_CODE": ["Le remboursement doit partir sur {} merci.", "Nouvel IBAN du fournisseur : {}"],
        "IP_ADDRESS": ["Le poste {} n'obtient plus d'adresse.", "Impossible de joindre {} depuis le VPN."],
        "URL_WITH_CREDENTIALS": ["Le script de sauvegarde utilise {} et échoue.", "Erreur 403 en ouvrant {}."],
        "NATIONAL_ID": [
            "La mutuelle demande mon numéro de sécurité sociale {}.",
            "Mon NIR {} est mal saisi dans la paie.",
        ],
        "PASSPORT": [
            "Pour la mission, mon passeport {} doit être enregistré.",
            "Le numéro de passeport {} est refusé.",
        ],
        "DATE_OF_BIRTH": [
            "Je suis née le {} et le portail refuse la date.",
            "Date de naissance : {} (à corriger dans le SIRH).",
        ],
        "ADDRESS": ["Merci d'envoyer le matériel au {}.", "Mon adresse a changé : {}."],
        "BANK_ACCOUNT": ["Virez les frais sur le compte {} svp.", "Mon numéro de compte {} est erroné dans la paie."],
        "SECRET": ["Le nouveau jeton est {} à mettre dans le coffre.", "Le log affiche {} en clair."],
    },
    "de": {
        "PERSON": [
            "Guten Morgen, hier spricht {}, mein Monitor flackert seit gestern.",
            "Bitte ein Konto für {} anlegen, Start ist am Montag.",
            "Der Drucker im zweiten Stock ist offline. Viele Grüße, {}",
            "Unsere neue Kollegin {} hat noch keinen VPN-Zugang.",
        ],
        "EMAIL_ADDRESS": ["Schicken Sie die Rechnung bitte an {}.", "Das Postfach {} synchronisiert nicht mehr."],
        "PHONE_NUMBER": ["Meine Durchwahl {} ist seit dem Umzug tot.", "Bitte rufen Sie mich unter {} zurück."],
        "CREDIT_CARD": ["Die Karte {} wurde doppelt belastet.", "Bitte die Kreditkarte {} aus dem Konto entfernen."],
        "IBAN_CODE": ["Die Erstattung bitte auf {} überweisen.", "Neue Bankverbindung des Lieferanten: {}"],
        "IP_ADDRESS": ["Der Server {} antwortet nicht mehr.", "Die Firewall blockiert {} seit heute."],
        "URL_WITH_CREDENTIALS": ["Das Backup nutzt {} und bricht ab.", "Fehler beim Klonen von {}."],
        "NATIONAL_ID": [
            "Die Lohnabrechnung braucht meine Steuer-ID {}.",
            "Meine steuerliche Identifikationsnummer ist {}.",
        ],
        "PASSPORT": ["Für die Dienstreise: Reisepass {} bitte hinterlegen.", "Die Buchung lehnt die Passnummer {} ab."],
        "DATE_OF_BIRTH": [
            "Ich bin am {} geboren, das Portal nimmt das Datum nicht.",
            "Geburtsdatum {} ist im System falsch.",
        ],
        "ADDRESS": ["Bitte das Headset an {} schicken.", "Meine neue Anschrift lautet {}."],
        "BANK_ACCOUNT": ["Die Spesen bitte auf Kontonummer {} zahlen.", "Mein Konto {} ist in der Abrechnung falsch."],
        "SECRET": ["Das neue Token ist {} bitte im Tresor ablegen.", "Im Log steht {} im Klartext."],
    },
    "es": {
        "PERSON": [
            "Buenos días, les escribe {}, la pantalla no enciende desde ayer.",
            "Necesitamos una cuenta para {} que empieza el lunes.",
            "La impresora de la segunda planta no imprime. Un saludo, {}",
            "La nueva compañera {} todavía no tiene acceso al correo.",
        ],
        "EMAIL_ADDRESS": ["Envíen la factura a {} por favor.", "El buzón {} no recibe correos."],
        "PHONE_NUMBER": ["Mi extensión {} no tiene línea.", "Llámenme al {} cuando puedan."],
        "CREDIT_CARD": ["Me cobraron dos veces en la tarjeta {}.", "Quiten la tarjeta {} de la cuenta del proveedor."],
        "IBAN_CODE": ["El reembolso debe ir a {} gracias.", "Nuevo IBAN del proveedor: {}"],
        "IP_ADDRESS": ["El equipo {} no obtiene dirección.", "No llego a {} desde la VPN."],
        "URL_WITH_CREDENTIALS": ["El script de copia usa {} y falla.", "Error al clonar {}."],
        "NATIONAL_ID": ["Recursos humanos necesita mi DNI {} para la nómina.", "Mi NIE es {} y el portal lo rechaza."],
        "PASSPORT": [
            "Para el viaje, mi pasaporte {} debe registrarse.",
            "La reserva rechaza el número de pasaporte {}.",
        ],
        "DATE_OF_BIRTH": [
            "Nací el {} y el formulario no lo acepta.",
            "Fecha de nacimiento: {} (corregir en el sistema).",
        ],
        "ADDRESS": ["Envíen el portátil a {} por favor.", "Mi nueva dirección es {}."],
        "BANK_ACCOUNT": [
            "Paguen los gastos en la cuenta {} por favor.",
            "Mi número de cuenta {} está mal en la nómina.",
        ],
        "SECRET": ["El nuevo token es {} hay que guardarlo en el vault.", "El log muestra {} en claro."],
    },
    "pt": {
        "PERSON": [
            "Bom dia, fala {}, o monitor não liga desde ontem.",
            "Precisamos de uma conta para {} que começa na segunda.",
            "A impressora do segundo andar está offline. Cumprimentos, {}",
            "A nova colega {} ainda não tem acesso ao email.",
        ],
        "EMAIL_ADDRESS": ["Enviem a fatura para {} por favor.", "A caixa {} não recebe mensagens."],
        "PHONE_NUMBER": ["A minha extensão {} está sem linha.", "Liguem-me para o {} quando puderem."],
        "CREDIT_CARD": ["Cobraram duas vezes no cartão {}.", "Retirem o cartão {} da conta do fornecedor."],
        "IBAN_CODE": ["O reembolso deve ir para {} obrigado.", "Novo IBAN do fornecedor: {}"],
        "IP_ADDRESS": ["O computador {} não obtém endereço.", "Não chego a {} pela VPN."],
        "URL_WITH_CREDENTIALS": ["O script de backup usa {} e falha.", "Erro ao clonar {}."],
        "NATIONAL_ID": [
            "Os recursos humanos pedem o meu NIF {} para o recibo.",
            "O número de contribuinte {} está errado.",
        ],
        "PASSPORT": ["Para a viagem, o meu passaporte {} tem de ser registado.", "A reserva recusa o passaporte {}."],
        "DATE_OF_BIRTH": ["Nasci a {} e o formulário não aceita.", "Data de nascimento: {} (corrigir no sistema)."],
        "ADDRESS": ["Enviem o portátil para {} por favor.", "A minha nova morada é {}."],
        "BANK_ACCOUNT": ["Paguem as despesas na conta {} por favor.", "O número da conta {} está errado."],
        "SECRET": ["O novo token é {} guardem no cofre.", "O log mostra {} em claro."],
    },
    "ar": {
        "PERSON": [
            "صباح الخير، معكم {}، الشاشة لا تعمل منذ أمس.",
            "نحتاج إلى حساب جديد للموظفة {} التي تبدأ يوم الاثنين.",
            "الطابعة في الطابق الثاني متوقفة. مع الشكر، {}",
            "طلب {} تثبيت برنامج المحاسبة على جهازه.",
        ],
        "EMAIL_ADDRESS": ["أرسلوا الفاتورة إلى {} من فضلكم.", "صندوق البريد {} لا يستقبل الرسائل."],
        "PHONE_NUMBER": ["رقم مكتبي {} بدون حرارة منذ النقل.", "اتصلوا بي على الجوال {} عند الانتهاء."],
        "CREDIT_CARD": ["تم الخصم مرتين من بطاقتي {}.", "يرجى حذف البطاقة {} من حساب المورد."],
        "IBAN_CODE": ["يرجى تحويل المبلغ إلى الآيبان {}.", "الآيبان الجديد للمورد: {}"],
        "IP_ADDRESS": ["الجهاز {} لا يحصل على عنوان.", "لا أستطيع الوصول إلى {} عبر الشبكة الافتراضية."],
        "URL_WITH_CREDENTIALS": ["سكربت النسخ الاحتياطي يستخدم {} ويفشل.", "خطأ عند استنساخ {}."],
        "NATIONAL_ID": ["تطلب الموارد البشرية رقم الهوية {} لتحديث الملف.", "رقم الإقامة {} غير صحيح في النظام."],
        "PASSPORT": ["للسفر، يرجى تسجيل جواز السفر رقم {}.", "الحجز يرفض رقم جواز {}."],
        "DATE_OF_BIRTH": ["تاريخ الميلاد {} لا يقبله النظام.", "أنا من مواليد {} والنموذج يرفض التاريخ."],
        "ADDRESS": ["يرجى إرسال الجهاز إلى {}.", "عنواني الجديد {}."],
        "BANK_ACCOUNT": ["يرجى تحويل المصاريف إلى رقم الحساب {}.", "رقم حسابي {} خطأ في الرواتب."],
        "SECRET": ["الرمز الجديد هو {} يرجى حفظه في الخزنة.", "السجل يعرض {} بشكل واضح."],
    },
}


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


# Clean tickets that look like they could hold PII (numbers, versions, products, dates that are not
# birth dates, capitalised words): none of them should change.
HARD_NEGATIVES = [
    "Error 0x80070005 after KB5034441 on build 10.0.19045, reboot did not help.",
    "Ticket INC0012345 reopened: Outlook 365 crashes when opening PST files over 2 GB.",
    "Since 12/03/2024 the VPN client (Cisco AnyConnect 4.10.07061) drops every 15 minutes.",
    "Please order 3 Dell Latitude 5540 laptops and 2 docking stations for the Finance team.",
    "Teams meeting room 4.12 has no sound; the Poly Studio bar shows firmware 3.11.2.",
    "Invoice 2024-0457 for 1,250.00 EUR was paid twice on 05.02.2024.",
    "Le serveur SRV-PAR-02 redémarre chaque nuit à 03:00 depuis la mise à jour 22H2.",
    "Der Drucker HP LaserJet M404dn im Raum 2.041 meldet Fehler 59.F0.",
    "La impresora del aula 3B muestra el error 50.4 desde el lunes 14 de marzo.",
    "O portátil Lenovo ThinkPad T14 Gen 3 não carrega com o carregador de 65 W.",
    "الطابعة في الغرفة 214 تعرض الخطأ 0x0000011b منذ تحديث ويندوز 11.",
    "Grant access to the Sales SharePoint site for the new interns, ticket 4471.",
    "Mark the alert as resolved once Zabbix stops reporting disk usage above 90%.",
    "Will the upgrade to SAP S/4HANA 2023 affect our Power BI reports?",
    "Java 17.0.8 update broke Jenkins; rollback to 17.0.7 worked on the build agents.",
    "Order PO-88213 for 24 monitors is stuck in approval since 2023-11-02.",
    "Password reset link expired, please send a new one.",
    "My password is not accepted after the change yesterday.",
    "Mot de passe expiré, impossible de se connecter à Citrix Workspace.",
    "Mein Passwort ist abgelaufen und das Self-Service-Portal lädt nicht.",
    "Mi contraseña ha caducado y no puedo entrar en Windows.",
    "A minha senha expirou e não consigo entrar no Outlook.",
    "كلمة المرور منتهية ولا أستطيع الدخول إلى البريد.",
    "Account locked after 5 failed attempts on the Azure portal.",
    "Version 2.14.1 of the agent uses port 8443; token refresh every 3600 seconds.",
    "The SHA-256 of the installer is e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.",
    "Build 4f9c2d1 failed at step 12 of 30 in GitHub Actions.",
    "Room B-204, desk 17: the Jabra Evolve2 65 headset does not pair.",
    "Ask Microsoft support about case 2311230040001234 for the Exchange Online outage.",
    "Hello team, the Wi-Fi on floor 3 is very slow since Monday.",
]
