"""Morocco's regions; defined in `catalog` (product origin) and shared with producers."""

from catalog.regions import REGION_CHOICES  # noqa: F401
