from catalog.models.certificates import Certificate, CertificateReminder
from catalog.models.events import TradeFair
from catalog.models.members import ProducerMember, ProvinceOfficer
from catalog.models.moderation import ProvinceReviewTask
from catalog.models.producers import ProducerIndexPage, ProducerPage
from catalog.models.products import ProductImage, ProductPage, ProductVariant
from catalog.models.questions import ProductQuestion
from catalog.models.reports import ListingAction, ListingReport
from catalog.models.regions import Commune, LegacyDistrict, LegacyProvince, Province
from catalog.models.taxonomy import Month, ProductGroup, ProductSubgroup, Standard

__all__ = [
    "Certificate",
    "CertificateReminder",
    "Commune",
    "LegacyDistrict",
    "LegacyProvince",
    "ListingAction",
    "ListingReport",
    "Month",
    "ProducerIndexPage",
    "ProducerMember",
    "ProducerPage",
    "ProvinceOfficer",
    "ProvinceReviewTask",
    "ProductGroup",
    "ProductImage",
    "ProductPage",
    "ProductQuestion",
    "ProductSubgroup",
    "ProductVariant",
    "Province",
    "Standard",
    "TradeFair",
]
