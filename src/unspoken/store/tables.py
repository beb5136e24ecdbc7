"""The schema in SQLAlchemy Core. Every table leads with notebook_id, ready for sharding.

Times are integer milliseconds since the epoch (UTC): exact, sortable, dialect-neutral.
The migrations in `migrations/versions/` must produce exactly this schema.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

notebooks = Table(
    "notebooks",
    metadata,
    Column("id", String(22), primary_key=True),
    Column("created_at", BigInteger, nullable=False),
    Column("sealed", Boolean, nullable=False),
    Column("mode", String(16), nullable=False),
    Column("pen", String(22)),
    Column("chapter", Integer, nullable=False),
    Column("head_seq", BigInteger, nullable=False),
    Column("head_hash", LargeBinary(32), nullable=False),
)

members = Table(
    "members",
    metadata,
    Column("notebook_id", String(22), primary_key=True),
    Column("id", String(22), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("joined_at", BigInteger, nullable=False),
    Column("key_mac", LargeBinary(32)),
    Column("profile_device", String(22)),
    Column("profile_ct", LargeBinary),
    Column("profile_sig", LargeBinary(64)),
    ForeignKeyConstraint(["notebook_id"], ["notebooks.id"]),
)

devices = Table(
    "devices",
    metadata,
    Column("notebook_id", String(22), primary_key=True),
    Column("id", String(22), primary_key=True),
    Column("member_id", String(22), nullable=False),
    Column("public_key", LargeBinary(32), nullable=False),
    Column("token_hash", LargeBinary(32), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    ForeignKeyConstraint(["notebook_id", "member_id"], ["members.notebook_id", "members.id"]),
    Index("ix_devices_token_hash", "token_hash", unique=True),
)

invites = Table(
    "invites",
    metadata,
    Column("notebook_id", String(22), primary_key=True),
    Column("id", String(22), primary_key=True),
    Column("claim_hash", LargeBinary(32), nullable=False),
    Column("bundle", LargeBinary, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    ForeignKeyConstraint(["notebook_id"], ["notebooks.id"]),
    Index("ix_invites_id", "id", unique=True),
)

records = Table(
    "records",
    metadata,
    Column("notebook_id", String(22), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("member", String(22), nullable=False),
    Column("entry_id", String(22)),
    Column("chapter", Integer),
    Column("device", String(22)),
    Column("prev", LargeBinary(32)),
    Column("hash", LargeBinary(32)),
    Column("ct", LargeBinary),
    Column("sig", LargeBinary(64)),
    Column("extra", JSON),
    ForeignKeyConstraint(["notebook_id"], ["notebooks.id"]),
    Index("ix_records_entry", "notebook_id", "entry_id", unique=True),
)
