"""Image renditions the catalogue's pages, cards and search hits share (one spec each, so
listings prefetch exactly what templates ask for)."""

CARD_RENDITION = "fill-480x360"
GALLERY_RENDITION = "max-1200x900"
THUMB_RENDITION = "fill-160x120"
