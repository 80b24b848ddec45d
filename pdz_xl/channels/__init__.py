"""Funding channels: the catalog (data) and header/label resolution."""

from .catalog import Catalog, ChannelInfo, default_catalog, normalise_label

__all__ = ["Catalog", "ChannelInfo", "default_catalog", "normalise_label"]
