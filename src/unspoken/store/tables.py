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
    false,
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
    # the rules' current state (0002); chapters, promises and agreements have their own tables
    Column("chapter_state", String(16), nullable=False, server_default="open"),
    Column("mirror_on", Boolean, nullable=False, server_default=false()),
    Column("mirror_owed", String(22)),
    Column("mirror_awaiting", String(22)),
    Column("pause_by", String(22)),
    Column("pause_since", BigInteger),
    Column("pause_until", BigInteger),
    Column("pause_here", Boolean, nullable=False, server_default=false()),
    Index("ix_notebooks_pause_until", "pause_until"),
    # key epochs (0003): the one new boxes must be sealed in; a new one is due after a decline
    Column("epoch", Integer, nullable=False, server_default="0"),
    Column("rekey_due", Boolean, nullable=False, server_default=false()),
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
    Column("left_at", BigInteger),
    Column("knocked_at", BigInteger),
    ForeignKeyConstraint(["notebook_id"], ["notebooks.id"]),
    Index("ix_members_left_at", "left_at"),
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
    # several devices per member (0003): pending until let in, revoked for good
    Column("state", String(16), nullable=False, server_default="active"),
    Column("revoked_at", BigInteger),
    Column("exchange_key", LargeBinary(32)),
    Column("exchange_sig", LargeBinary(64)),
    Column("added_by", String(22)),
    Column("cert", LargeBinary(64)),
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
    # The inviter's name sealed under the invite's own key: the joiner's page names them
    # before joining (optional; the server cannot open it).
    Column("greeting", LargeBinary),
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

chapters = Table(
    "chapters",
    metadata,
    Column("notebook_id", String(22), primary_key=True),
    Column("n", Integer, primary_key=True, autoincrement=False),
    Column("state", String(16), nullable=False),
    Column("mode", String(16), nullable=False),
    Column("mirror", Boolean, nullable=False),
    Column("opened_at", BigInteger, nullable=False),
    Column("opened_by", String(22)),
    Column("closed_at", BigInteger),
    Column("meta_id", String(22)),
    Column("meta_device", String(22)),
    Column("meta_ct", LargeBinary),
    Column("meta_sig", LargeBinary(64)),
    ForeignKeyConstraint(["notebook_id"], ["notebooks.id"]),
)

promises = Table(
    "promises",
    metadata,
    Column("notebook_id", String(22), primary_key=True),
    Column("id", String(22), primary_key=True),
    Column("made_by", String(22), nullable=False),
    Column("made_to", String(22), nullable=False),
    Column("state", String(16), nullable=False),
    Column("made_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("text_device", String(22), nullable=False),
    Column("text_ct", LargeBinary, nullable=False),
    Column("text_sig", LargeBinary(64), nullable=False),
    ForeignKeyConstraint(["notebook_id"], ["notebooks.id"]),
)

agreements = Table(
    "agreements",
    metadata,
    Column("notebook_id", String(22), primary_key=True),
    Column("id", String(22), primary_key=True),
    Column("proposer", String(22), nullable=False),
    Column("proposed_at", BigInteger, nullable=False),
    Column("text_device", String(22), nullable=False),
    Column("text_ct", LargeBinary, nullable=False),
    Column("text_sig", LargeBinary(64), nullable=False),
    Column("text_id", String(22)),  # the current words' item id; NULL: the agreement's own
    Column("cosigner", String(22)),
    Column("cosign_device", String(22)),
    Column("cosign_sig", LargeBinary(64)),
    Column("agreed_at", BigInteger),
    Column("not_yet_at", BigInteger),
    ForeignKeyConstraint(["notebook_id"], ["notebooks.id"]),
)

device_links = Table(
    "device_links",
    metadata,
    Column("notebook_id", String(22), primary_key=True),
    Column("id", String(22), primary_key=True),
    Column("member_id", String(22), nullable=False),
    Column("by_device", String(22), nullable=False),
    Column("claim_hash", LargeBinary(32), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    Column("device_id", String(22)),
    Column("key_mac", LargeBinary(32)),
    Column("package", LargeBinary),
    ForeignKeyConstraint(["notebook_id"], ["notebooks.id"]),
    Index("ix_device_links_id", "id", unique=True),
)

epoch_keys = Table(
    "epoch_keys",
    metadata,
    Column("notebook_id", String(22), primary_key=True),
    Column("epoch", Integer, primary_key=True, autoincrement=False),
    Column("device_id", String(22), primary_key=True),
    Column("by_device", String(22), nullable=False),
    Column("wrap", LargeBinary, nullable=False),
    Column("sig", LargeBinary(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    ForeignKeyConstraint(["notebook_id"], ["notebooks.id"]),
)

# Web Push (0004): one row per device that chose its notices; the endpoint is null until the
# device subscribes. `held` lists notice kinds kept back by quiet hours (push/dispatch.py).
push_subscriptions = Table(
    "push_subscriptions",
    metadata,
    Column("notebook_id", String(22), primary_key=True),
    Column("device_id", String(22), primary_key=True),
    Column("member_id", String(22), nullable=False),
    Column("endpoint", String(2048)),
    Column("p256dh", LargeBinary(65)),
    Column("auth", LargeBinary(16)),
    Column("notices", String(64), nullable=False),
    Column("quiet_start", Integer),
    Column("quiet_end", Integer),
    Column("quiet_zone", String(64)),
    Column("held", String(64)),
    Column("updated_at", BigInteger, nullable=False),
    ForeignKeyConstraint(["notebook_id", "device_id"], ["devices.notebook_id", "devices.id"]),
    Index("ix_push_subscriptions_held", "held"),
)
