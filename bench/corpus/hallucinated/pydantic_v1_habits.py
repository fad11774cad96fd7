"""Settings and API schemas written with pydantic v1 habits, linted against pydantic 2.

pydantic 2's module __getattr__ raises PydanticImportError (an ImportError) for the
v1 names removed or moved in v2 (`BaseSettings` moved to pydantic-settings,
`Constrained*` types, `parse_raw_as`, `stricturl`); `pydantic.fields.ModelField` is
gone.  Unknown attributes on model classes/instances raise AttributeError at runtime
(BaseModel.__getattr__ only serves private attributes and `extra` fields; the models
here use the default `extra="ignore"`).
"""

from typing import Optional

from pydantic import BaseModel, Field, field_validator
from pydantic import BaseSettings  # expect: HAL002[BaseSettings]
from pydantic import ConstrainedStr, ConstrainedInt  # expect: HAL002[ConstrainedStr], HAL002[ConstrainedInt]
from pydantic import parse_raw_as, stricturl  # expect: HAL002[parse_raw_as], HAL002[stricturl]
from pydantic.fields import ModelField  # expect: HAL002[ModelField]


class Settings(BaseSettings):
    api_url: str = "https://api.example.com"
    debug: bool = False


class Slug(ConstrainedStr):
    regex = r"^[a-z0-9-]+$"


class Address(BaseModel):
    street: str
    city: str


class Customer(BaseModel):
    name: str
    email: str
    age: int = Field(default=0, ge=0)
    address: Optional[Address] = None

    @field_validator("email")
    @classmethod
    def lower_email(cls, value: str) -> str:
        return value.lower()


def from_payload(payload: dict) -> Customer:
    return Customer.from_dict(payload)  # expect: HAL101[from_dict]


def to_payload(customer: Customer) -> dict:
    return customer.to_dict()  # expect: HAL101[to_dict]


def to_text(customer: Customer) -> str:
    return customer.to_json()  # expect: HAL101[to_json]


def display(customer: Customer) -> str:
    return customer.full_name  # expect: HAL101[full_name]


def schema_fields() -> list:
    return list(Customer.get_fields())  # expect: HAL101[get_fields]


def field_names(customer: Customer) -> list:
    return list(customer.fields)  # expect: HAL101[fields]


def many(raw: str) -> list:
    return parse_raw_as(list[Customer], raw)


def describe(field: ModelField) -> str:
    return field.outer_type_.__name__


def main() -> None:
    customer = Customer(name="Ann", email="ANN@EXAMPLE.COM")
    print(to_payload(customer), Settings().api_url, stricturl)


if __name__ == "__main__":
    main()
