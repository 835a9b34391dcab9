"""Reports: the reach report (selectors, serializers, API)."""
