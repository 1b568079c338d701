"""Clients, intake versions, packets, templates, settings

Revision ID: 0001
Revises:
Create Date: 2026-12-03 15:53:26.855347
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("search_text", sa.String(length=500), nullable=False),
        sa.Column("sort_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("client_type", sa.String(length=20), nullable=False),
        sa.Column("goal", sa.String(length=30), nullable=False),
        sa.Column("date_of_birth", sa.String(length=10), nullable=True),
        sa.Column("packet_status", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
    )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clients_client_type"), ["client_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_clients_packet_status"), ["packet_status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_clients_sort_name"), ["sort_name"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_clients_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("packet_type", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_templates")),
        sa.UniqueConstraint(
            "packet_type", "version", name=op.f("uq_templates_packet_type_version")
        ),
    )
    op.create_table(
        "intake_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_intake_versions_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_versions")),
        sa.UniqueConstraint(
            "client_id", "version", name=op.f("uq_intake_versions_client_id_version")
        ),
    )
    with op.batch_alter_table("intake_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_intake_versions_client_id"), ["client_id"], unique=False
        )

    op.create_table(
        "packets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("packet_type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("intake_version", sa.Integer(), nullable=True),
        sa.Column("generator_version", sa.String(length=20), nullable=True),
        sa.Column("template_version", sa.Integer(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("error_kind", sa.String(length=40), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_packets_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_packets")),
        sa.UniqueConstraint(
            "client_id", "packet_type", name=op.f("uq_packets_client_id_packet_type")
        ),
    )
    with op.batch_alter_table("packets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_packets_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index("ix_packets_status", ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("packets", schema=None) as batch_op:
        batch_op.drop_index("ix_packets_status")
        batch_op.drop_index(batch_op.f("ix_packets_client_id"))

    op.drop_table("packets")
    with op.batch_alter_table("intake_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_versions_client_id"))

    op.drop_table("intake_versions")
    op.drop_table("templates")
    op.drop_table("settings")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_updated_at"))
        batch_op.drop_index(batch_op.f("ix_clients_sort_name"))
        batch_op.drop_index(batch_op.f("ix_clients_client_type"))
        batch_op.drop_index(batch_op.f("ix_clients_packet_status"))

    op.drop_table("clients")
