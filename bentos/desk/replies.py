"""What the chat says, in English and French (the language of the message, else of the conversation)."""

import re

from store.schema import TicketStatus

LANGUAGES = ("en", "fr")
TICKET_ID = re.compile(r"(?:#|n°|no\.?|num(?:éro|ber)?\.?|ticket|dossier|case|demande)\s*(\d{1,9})\b", re.IGNORECASE)
ANY_NUMBER = re.compile(r"\b(\d{1,9})\b")
STATUS_WORDS = {
    TicketStatus.CLOSED: r"clos(e|ed|ing)?\b|ferm|cl[ôo]tur",
    TicketStatus.RESOLVED: r"resol|résol|résou|solved|fixed|réglé|répar|done\b",
    TicketStatus.OPEN: r"re-?open|rouvr|\bopen|ouvert",
    TicketStatus.NEW: r"\bnew\b|nouveau",
}
STATUS_NAMES = {
    "en": {status: status.value for status in TicketStatus},
    "fr": {
        TicketStatus.NEW: "nouveau",
        TicketStatus.OPEN: "ouvert",
        TicketStatus.RESOLVED: "résolu",
        TicketStatus.CLOSED: "fermé",
    },
}
EXAMPLES = {
    "en": "'open a ticket', 'show ticket 12', 'list my open tickets', 'set ticket 12 to resolved', "
    "'close ticket 12', 'delete ticket 12', 'help'",
    "fr": "« ouvrir un ticket », « montre le ticket 12 », « liste mes tickets ouverts », "
    "« passe le ticket 12 en résolu », « ferme le ticket 12 », « supprime le ticket 12 », « aide »",
}
REPLIES = {
    "en": {
        "ask_description": "Sure. Describe the problem in one message (or say 'cancel').",
        "opened": "Ticket {id} opened: {category} ({confidence:.0%}), status new.{review}",
        "review": " A person will check its category.",
        "cancelled": "Cancelled: no ticket was opened.",
        "nothing_to_cancel": "There is nothing to cancel. You can say: {examples}.",
        "show": "Ticket {id} [{status}]: {category} ({confidence:.0%}). {text}",
        "list": "Your open tickets:\n{lines}",
        "list_empty": "You have no open ticket in this conversation.",
        "which_ticket": "Which ticket? For example: 'show ticket 12'.",
        "which_status": "Which status: new, open, resolved or closed? For example: 'set ticket 12 to resolved'.",
        "status_set": "Ticket {id} is now {status}.",
        "deleted": "Ticket {id} deleted.",
        "not_found": "I cannot find ticket {id}.",
        "help": "I can manage your tickets. Try: {examples}.",
        "not_understood": "I did not understand. You can say: {examples}.",
    },
    "fr": {
        "ask_description": "D'accord. Décrivez le problème en un message (ou dites « annuler »).",
        "opened": "Ticket {id} ouvert : {category} ({confidence:.0%}), statut nouveau.{review}",
        "review": " Une personne vérifiera sa catégorie.",
        "cancelled": "Annulé : aucun ticket n'a été ouvert.",
        "nothing_to_cancel": "Il n'y a rien à annuler. Vous pouvez dire : {examples}.",
        "show": "Ticket {id} [{status}] : {category} ({confidence:.0%}). {text}",
        "list": "Vos tickets ouverts :\n{lines}",
        "list_empty": "Vous n'avez aucun ticket ouvert dans cette conversation.",
        "which_ticket": "Quel ticket ? Par exemple : « montre le ticket 12 ».",
        "which_status": "Quel statut : nouveau, ouvert, résolu ou fermé ? "
        "Par exemple : « passe le ticket 12 en résolu ».",
        "status_set": "Le ticket {id} est maintenant {status}.",
        "deleted": "Ticket {id} supprimé.",
        "not_found": "Je ne trouve pas le ticket {id}.",
        "help": "Je gère vos tickets. Essayez : {examples}.",
        "not_understood": "Je n'ai pas compris. Vous pouvez dire : {examples}.",
    },
}


def say(language: str, key: str, **values: object) -> str:
    """One reply in `language` (English when the chat does not speak it)."""
    language = language if language in LANGUAGES else "en"
    return REPLIES[language][key].format(examples=EXAMPLES[language], **values)


def ticket_id_in(text: str) -> int | None:
    """The ticket number a message names ('ticket 12', '#12', 'n°12', or a lone number)."""
    match = TICKET_ID.search(text) or ANY_NUMBER.search(text)
    return int(match[1]) if match else None


def status_in(text: str) -> TicketStatus | None:
    """The status a message asks for, from its English or French words ('reopen' means open)."""
    for status, pattern in STATUS_WORDS.items():
        if re.search(pattern, text, re.IGNORECASE):
            return status
    return None
