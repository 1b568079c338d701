"""The durable packet queue and the headless worker that works through it."""

from packetstudio.queue.jobs import (
    ClaimedJob,
    JobError,
    JobRecord,
    JobStatus,
    LeaseLost,
    PacketResult,
    QueueConfig,
    QueueStats,
)

__all__ = [
    "ClaimedJob",
    "JobError",
    "JobRecord",
    "JobStatus",
    "LeaseLost",
    "PacketResult",
    "QueueConfig",
    "QueueStats",
]
