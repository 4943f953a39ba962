"""Words that introduce a value, in the six languages the agent detects (regex fragments).

Every language's cues apply to every ticket: language detection errs on short or mixed tickets,
and a German ID card number in an English ticket is still personal data.
"""

# Between a cue and its value: "passport number is", "n° de compte :", "رقم", "Nr."...
CONNECTOR = (
    r"(?:[^\S\n]*(?:(?:number|numbers|num\.?|no\.?|nr\.?|n°|nº|n\.º|is|was|are|on|est|ist|lautet|es|é|são|era"
    r"|le|am|el|em|a|the|my|mon|ma|mein|meine|mi|meu|minha|of|de|du|des|da|do|der|di|هو|هي|رقم|في)"
    r"(?![^\W\d_])|[#:=()\-]))*[^\S\n]*"
)

DATE_OF_BIRTH = (
    r"born|was\s+born|nací|nació|nasci|nasceu|je\s+suis\s+née?|birth\s*date|date\s+of\s+birth|birthday|"
    r"d\.?o\.?b\.?|né|née|naissance|date\s+de\s+naissance|geboren|"
    r"geb\.|geburtsdatum|geburtstag|nacid[oa]|fecha\s+de\s+nacimiento|nacimiento|nascid[oa]|data\s+de\s+nascimento|"
    r"nascimento|تاريخ\s+الميلاد|تاريخ\s+ميلادي|تاريخ\s+ميلاده|من\s+مواليد|مواليد|ولدت|المولود|الميلاد"
)
PASSPORT = (
    r"passports?|passeport|reisepass(?:nummer)?|pass-?nr\.?|passnummer|pasaporte|passaporte|"
    r"جواز\s+السفر|جواز\s+سفري|جواز"
)
NATIONAL_ID = (
    r"social\s+security(?:\s+number)?|ssn|national\s+(?:id|identity|insurance)(?:\s+number)?|nino|ni\s+number|"
    r"id\s+number|identity\s+(?:card|number)|tax\s+(?:id|identification|number)|tin|"
    r"n(?:uméro|°)?\s*de\s+sécurité\s+sociale|sécurité\s+sociale|nir|numéro\s+fiscal|carte\s+d'identité|"
    r"steuer-?id|steueridentifikationsnummer|steuerliche\s+identifikationsnummer|identifikationsnummer|idnr|"
    r"steuernummer|personalausweis(?:nummer)?|sozialversicherungsnummer|"
    r"dni|nie|nif|documento\s+nacional\s+de\s+identidad|n[úu]mero\s+de\s+identidad|cédula|"
    r"contribuinte|n[úu]mero\s+fiscal|n[úu]mero\s+de\s+identificação\s+fiscal|cartão\s+de\s+cidadão|"
    r"iqama|الإقامة|إقامة|اقامة|الاقامة|رقم\s+الهوية|الهوية\s+الوطنية|الهوية|هويتي|السجل\s+المدني|بطاقة\s+الأحوال"
)
BANK_ACCOUNT = (
    r"(?:bank\s+)?account(?:\s+(?:number|no\.?|nr\.?|#))?|acct\.?|a/c|sort\s*-?\s*code|routing\s+number|aba|"
    r"compte(?:\s+bancaire)?|n(?:uméro|°)\s+de\s+compte|rib|"
    r"konto(?:nummer)?|kto\.?(?:-?nr\.?)?|bankverbindung|blz|bankleitzahl|"
    r"cuenta(?:\s+bancaria)?|n[úu]mero\s+de\s+cuenta|ccc|"
    r"conta(?:\s+bancária)?|n[úu]mero\s+da\s+conta|nib|"
    r"رقم\s+الحساب|الحساب\s+البنكي|حساب\s+بنكي|حسابي\s+البنكي|حسابي"
)
POSTCODE = (
    r"post\s*code|zip(?:\s+code)?|code\s+postal|cp|plz|postleitzahl|c[óo]digo\s+postal|c\.p\.|"
    r"الرمز\s+البريدي|رمز\s+بريدي"
)
CREDENTIAL_WORDS = (  # words that introduce a password
    r"passwords?|passwd|pwd|passcode|pass\s*phrase|pin(?:\s+code)?|mot\s+de\s+passe|mdp|passwort|kennwort|"
    r"contraseña|clave|senha|palavra-passe|كلمة\s+المرور|كلمة\s+السر|الرقم\s+السري|رمز\s+الدخول"
)
API_KEY_WORDS = (
    r"api[_\s-]?key|apikey|secret(?:[_\s-]?key)?|client[_\s-]?secret|access[_\s-]?token|auth[_\s-]?token|"
    r"aws_secret_access_key|secret\s+access\s+key|token"
)

# Words before a person's name. Strong: what follows is a name even if the lexicon does not know
# it (titles, "my name is", sign-offs). Weak: a name follows only if the lexicon knows its first word
# (greetings, "requested by", "ask"), since products and teams follow them too.
NAME_STRONG = (
    r"regards|kind\s+regards|best\s+regards|sincerely|cordialement|merci\s+d'avance|bien\s+à\s+vous|"
    r"viele\s+grüße|mit\s+freundlichen\s+grüßen|beste\s+grüße|gruß|un\s+saludo|saludos|atentamente|"
    r"cumprimentos|atenciosamente|com\s+os\s+melhores\s+cumprimentos|مع\s+الشكر|مع\s+تحياتي|تحياتي|معكم|معك|"
    r"mr\.?|mrs\.?|ms\.?|miss|dr\.?|prof\.?|sir|madam|my\s+name\s+is|my\s+name's|name:|i\s+am|i'm|"
    r"m\.|mme\.?|mlle\.?|monsieur|madame|mademoiselle|je\s+m'appelle|je\s+m’appelle|mon\s+nom\s+est|je\s+suis|"
    r"herr|frau|mein\s+name\s+ist|ich\s+heiße|ich\s+heisse|"
    r"sr\.?|sra\.?|srta\.?|don|doña|señor|señora|me\s+llamo|mi\s+nombre\s+es|soy|"
    r"dona|dom|senhor|senhora|chamo-me|me\s+chamo|o\s+meu\s+nome\s+é|meu\s+nome\s+é|sou|"
    r"اسمي|أنا|انا|السيد|السيدة|الأستاذ|الأستاذة|الاستاذ|الاستاذة|المهندس|المهندسة|الدكتور|الدكتورة|"
    r"الزميل|الزميلة|الموظف\s+الجديد|الموظفة\s+الجديدة|الموظف|الموظفة|المدير|المديرة|الأخ|الأخت|"
    r"بطلب\s+من|من\s+طرف|مقدم\s+الطلب|المستخدم|المستخدمة|عزيزي|عزيزتي"
)
NAME_WEAK = (
    r"hi|hello|hey|dear|thanks|thank\s+you|cheers|best|by|from|ask|tell|contact|call|cc|colleague|"
    r"manager|user|employee|this\s+is|it's|"
    r"bonjour|salut|cher|chère|merci|par|de\s+la\s+part\s+de|collègue|utilisateur|c'est|"
    r"hallo|liebe|lieber|danke|von|kollege|kollegin|mitarbeiter|mitarbeiterin|ich\s+bin|hier\s+ist|"
    r"hola|gracias|por|de\s+parte\s+de|compañero|compañera|usuario|"
    r"olá|ola|obrigado|obrigada|da\s+parte\s+de|colega|utilizador|usuário|"
    r"مرحبا|شكرا|أرسل|ارسل|طلب|كلم|اتصل\s+ب"
)
NAME_PARTICLES = r"de|da|do|dos|das|del|della|di|du|van|von|der|den|ter|le|la|bin|ben|ibn|al|el"
