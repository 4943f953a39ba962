"""The probe's ticket templates (one planted value each) and its hand-written clean tickets.

Kept apart from the unit tests' templates (devkit/pii_cases.py): the probe measures the scrubber on
phrasings it was not tested on.
"""

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
