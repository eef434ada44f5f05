"""The shop's models, one module per concept: carts, shipping rates, orders, what buyers keep
(addresses, alerts, wishlist), bookable places, payment notifications, the producers'
ledger and payouts, returns, and verified reviews. Promotional campaigns (pages, vouchers, their
counters) are `shop.promotions`; importing them here registers them with the shop app."""

from shop.models.bookings import BookingSlot
from shop.models.buyers import SavedAddress, StockAlert, WishlistItem
from shop.models.carts import MAX_LINE_QUANTITY, Cart, CartLine
from shop.models.data_requests import BuyerConsent, DataRequest
from shop.models.ledger import (
    BankAccount,
    CommissionRate,
    EntryKind,
    LedgerEntry,
    PayoutLine,
    PayoutStatement,
    Refund,
    TaxRate,
)
from shop.models.orders import Order, OrderEvent, OrderLine, StripeEvent, SubOrder, new_access_token
from shop.models.payments import PaymentNotice
from shop.models.returns import ReturnEvent, ReturnPhoto, ReturnRequest, ReturnWindow
from shop.models.reviews import Review, ReviewPhoto, ReviewReport
from shop.models.shipping import DeliveryMethod, ShippingRate, ShippingZone
from shop.promotions.models import CampaignDailyStat, CampaignIndexPage, CampaignPage

__all__ = [
    "MAX_LINE_QUANTITY",
    "BankAccount",
    "BookingSlot",
    "BuyerConsent",
    "CampaignDailyStat",
    "CampaignIndexPage",
    "CampaignPage",
    "Cart",
    "CartLine",
    "CommissionRate",
    "DataRequest",
    "DeliveryMethod",
    "EntryKind",
    "LedgerEntry",
    "Order",
    "OrderEvent",
    "OrderLine",
    "PaymentNotice",
    "PayoutLine",
    "PayoutStatement",
    "Refund",
    "ReturnEvent",
    "ReturnPhoto",
    "ReturnRequest",
    "ReturnWindow",
    "Review",
    "ReviewPhoto",
    "ReviewReport",
    "SavedAddress",
    "ShippingRate",
    "ShippingZone",
    "StockAlert",
    "StripeEvent",
    "SubOrder",
    "TaxRate",
    "WishlistItem",
    "new_access_token",
]
