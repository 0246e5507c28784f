"""Imports every table so that metadata (and Alembic) sees the whole schema."""

from __future__ import annotations

from server.accounts.models import Account, Role, ShipTo, User
from server.approvals.models import ApprovalDecision, ApprovalRuleRow, OrderApproval
from server.auth.models import LoginAttempt, RefreshToken
from server.carts.models import Cart, CartLine
from server.catalog.models import Assortment, AssortmentProduct, Product, ProductUnit
from server.changes.models import BucketCounter, Change, ServerMeta
from server.db import Base
from server.erp.models import ApiKey, ErpEvent, ErpLineInfo, ErpShipmentRef
from server.orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusEvent,
    Shipment,
    ShipmentLine,
)
from server.pricing.models import ContractPrice, PriceList, PriceListItem
from server.stock.models import Stock, Warehouse
from server.sync.models import Device, Mutation

__all__ = [
    "Account",
    "ApiKey",
    "ApprovalDecision",
    "ApprovalRuleRow",
    "Assortment",
    "AssortmentProduct",
    "Base",
    "BucketCounter",
    "Cart",
    "CartLine",
    "Change",
    "ContractPrice",
    "Device",
    "ErpEvent",
    "ErpLineInfo",
    "ErpShipmentRef",
    "LoginAttempt",
    "Mutation",
    "Order",
    "OrderApproval",
    "OrderLine",
    "OrderStatus",
    "OrderStatusEvent",
    "PriceList",
    "PriceListItem",
    "Product",
    "ProductUnit",
    "RefreshToken",
    "Role",
    "ServerMeta",
    "ShipTo",
    "Shipment",
    "ShipmentLine",
    "Stock",
    "User",
    "Warehouse",
]
