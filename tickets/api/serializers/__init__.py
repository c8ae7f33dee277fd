"""API shapes. Input serializers check types and required fields and build what a service takes;
output serializers render. Domain rules stay in the services."""

from .cases import (
    TRANSITION_TARGETS,
    CaseCreateInputSerializer,
    CaseOutputSerializer,
    CaseTransitionInputSerializer,
    CaseUpdateInputSerializer,
)
from .common import (
    MAX_INT,
    AwareDateTimeField,
    CustomerSummarySerializer,
    IndexedListField,
    MoneyField,
    OrderSummarySerializer,
    TeamSummarySerializer,
    UserSummarySerializer,
    money_input,
)
from .customers import CustomerOutputSerializer
from .messages import (
    AttachmentOutputSerializer,
    CaseEventOutputSerializer,
    MessageCreateInputSerializer,
    MessageOutputSerializer,
)
from .orders import (
    ORDERS_PER_CALL,
    CustomerInputSerializer,
    LineInputSerializer,
    OrderBatchInputSerializer,
    OrderInputSerializer,
    OrderLineOutputSerializer,
    OrderOutputSerializer,
    OrderUpsertOutputSerializer,
    order_data,
)

__all__ = [
    "MAX_INT",
    "ORDERS_PER_CALL",
    "TRANSITION_TARGETS",
    "AttachmentOutputSerializer",
    "AwareDateTimeField",
    "CaseCreateInputSerializer",
    "CaseEventOutputSerializer",
    "CaseOutputSerializer",
    "CaseTransitionInputSerializer",
    "CaseUpdateInputSerializer",
    "CustomerInputSerializer",
    "CustomerOutputSerializer",
    "CustomerSummarySerializer",
    "IndexedListField",
    "LineInputSerializer",
    "MessageCreateInputSerializer",
    "MessageOutputSerializer",
    "MoneyField",
    "OrderBatchInputSerializer",
    "OrderInputSerializer",
    "OrderLineOutputSerializer",
    "OrderOutputSerializer",
    "OrderSummarySerializer",
    "OrderUpsertOutputSerializer",
    "TeamSummarySerializer",
    "UserSummarySerializer",
    "money_input",
    "order_data",
]
