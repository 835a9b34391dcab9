"""Size limits on what the API accepts (README "Limits"). Models and serializers use these, so a
field's limit is the same in the database validation, the API and the OpenAPI schema.

The request-body limits are settings (`TW_MAX_BODY_BYTES`, `TW_MAX_JSON_DEPTH`, read in
`backend/settings.py`); these are the per-field ones.
"""

# Free text: notes, site notes, descriptions, reasons.
TEXT_MAX_LENGTH = 2000
# Names and labels.
NAME_MAX_LENGTH = 200
