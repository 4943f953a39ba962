"""Response types of the BentoML APIs: the shared prediction schema with its media type declared."""

from typing import Annotated

from bentoml.validators import ContentType

from core.prediction import Prediction

# Declared, so BentoML does not rebuild the output's JSON schema to find it on every response (~3 ms).
JSON = ContentType("application/json")
Predictions = Annotated[list[Prediction], JSON]
