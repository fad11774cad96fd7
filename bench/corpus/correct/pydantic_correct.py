"""pydantic 2 models: fields, validators, computed fields, extra="allow" models whose
unknown attributes come from the input data, and an optional pydantic-settings import."""

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, computed_field, field_validator

try:  # optional dependency: only used when installed
    from pydantic_settings import BaseSettings
except ImportError:
    BaseSettings = None


class Address(BaseModel):
    street: str
    city: str


class Customer(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str
    email: str
    age: int = Field(default=0, ge=0)
    address: Optional[Address] = None

    @field_validator("email")
    @classmethod
    def lower_email(cls, value: str) -> str:
        return value.lower()

    @computed_field
    @property
    def display(self) -> str:
        return f"{self.name} <{self.email}>"


class Event(BaseModel):
    """Unknown keys are kept as attributes."""

    model_config = ConfigDict(extra="allow")

    kind: str


def load_settings():
    if BaseSettings is None:
        return None

    class Settings(BaseSettings):
        api_url: str = "https://api.example.com"
        debug: bool = False

    return Settings()


def main() -> None:
    c = Customer(name=" Ann ", email="ANN@EXAMPLE.COM", address={"street": "Main 1", "city": "Oslo"})
    print(c.name, c.email, c.age, c.address.city, c.display)
    print(c.model_dump(), c.model_dump_json(), c.model_copy(update={"age": 3}).age)
    print(Customer.model_validate({"name": "Bo", "email": "B@X"}).email, list(Customer.model_fields), c.model_fields_set)
    print(Customer.model_json_schema()["title"], c.dict()["name"] if hasattr(c, "dict") else None)
    event = Event(kind="click", x=3, target="button")
    print(event.kind, event.x, event.target, event.model_extra)
    print(TypeAdapter(list[int]).validate_python(["1", 2]))
    try:
        Customer(name="x", email="y", age=-1)
    except ValidationError as exc:
        print(exc.error_count(), exc.errors()[0]["loc"])
    settings = load_settings()
    if settings is not None:
        print(settings.api_url, settings.debug)


if __name__ == "__main__":
    main()
