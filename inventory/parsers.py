"""The one upload parser: defect photos are larger than the API's general body limit
(TW_MAX_BODY_BYTES, a few hundred kB), so their endpoint gets its own, bounded by the photo limit."""

from django.conf import settings
from rest_framework import parsers

from backend.core.parsers import content_length, too_large

# Room for the multipart framing and the note around the photo itself.
MULTIPART_OVERHEAD = 64 * 1024


class PhotoMultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        length = content_length(parser_context)
        # Up to the photo limit and a bit, so a photo just over it gets the clear 400 from the
        # service; far over it is refused unread.
        if length > 2 * int(settings.TW_DEFECT_PHOTO_MAX_BYTES) + MULTIPART_OVERHEAD:
            raise too_large()
        return super().parse(stream, media_type, parser_context)
