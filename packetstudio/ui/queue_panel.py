"""The queue panel: live counts, recent jobs, retry and cancel."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from packetstudio.queue import jobs
from packetstudio.queue.jobs import JobRecord, JobStatus, QueueStats
from packetstudio.store.database import Database
from packetstudio.ui.background import Background
from packetstudio.ui.labels import compact_rows, error_colour, status_text, value_text

Index = QModelIndex | QPersistentModelIndex
RECENT_JOBS = 50
HEADERS = ["Time", "Client", "Packet", "Status", "Attempt", "Duration", "Error"]

log = logging.getLogger(__name__)


class JobTableModel(QAbstractTableModel):
    """The most recently changed jobs, newest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._jobs: list[JobRecord] = []

    def set_jobs(self, records: list[JobRecord]) -> None:
        if records == self._jobs:
            return
        self.beginResetModel()
        self._jobs = records
        self.endResetModel()

    def job(self, row: int) -> JobRecord | None:
        return self._jobs[row] if 0 <= row < len(self._jobs) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = 0
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        job = self._jobs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(job, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 6:
            return job.last_error_message
        if role == Qt.ItemDataRole.ForegroundRole and job.status is JobStatus.FAILED:
            return error_colour()
        return None


def _cell(job: JobRecord, column: int) -> str:
    if column == 0:
        return _local(job.finished_at or job.started_at or job.created_at)
    if column == 1:
        return job.client_name
    if column == 2:
        return value_text(job.packet_type)
    if column == 3:
        return status_text(job.status.value)
    if column == 4:
        return f"{job.attempts} of {job.max_attempts}" if job.attempts else "-"
    if column == 5:
        return "-" if job.duration_s is None else f"{job.duration_s:.1f} s"
    return (job.last_error_message or "") if job.status is not JobStatus.READY else ""


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M:%S")


def summary(stats: QueueStats) -> str:
    """Return the one-line queue summary: counts and throughput."""
    counts = stats.counts
    parts = [
        f"{counts.get(JobStatus.QUEUED, 0)} waiting",
        f"{counts.get(JobStatus.RUNNING, 0)} generating",
        f"{counts.get(JobStatus.READY, 0)} ready",
        f"{counts.get(JobStatus.FAILED, 0)} failed",
        f"{stats.per_minute:.1f}/min",
    ]
    return "Queue:  " + "   ".join(parts)


class QueuePanel(QWidget):
    """Live queue counts and the recent jobs, refreshed about every second.

    The reading happens on a pool thread: during a batch the database is
    busy with the workers' writes, and the window must not wait for it.

    Signals:
        queue_changed(): jobs were retried or cancelled here; wake the runner.
        open_packet(client_id, packet_type): show this job's packet.
        refreshed(): new counts and jobs are on show.
    """

    queue_changed = Signal()
    open_packet = Signal(int, str)
    refreshed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.stats: QueueStats | None = None
        self.counts_label = QLabel("Queue:")
        self.counts_label.setObjectName("queue_counts")
        self.counts_label.setToolTip(
            "Jobs by state. The pace, per minute, counts the packets made in"
            " the last hour since the first of them began."
        )
        self.model = JobTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("job_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        compact_rows(self.table)
        self.table.horizontalHeader().setSectionResizeMode(
            6, QHeaderView.ResizeMode.Stretch
        )
        self.table.setAccessibleName("Recent jobs")
        self.retry_failed_button = QPushButton("Retry &all failed")
        self.retry_failed_button.setObjectName("retry_failed")
        self.retry_button = QPushButton("Re&try")
        self.retry_button.setObjectName("retry_job")
        self.cancel_button = QPushButton("&Cancel job")
        self.cancel_button.setObjectName("cancel_job")
        self.open_button = QPushButton("&Open packet")
        self.open_button.setObjectName("open_job_packet")
        self._lay_out()
        self._connect()
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.refresh)
        # Many jobs finishing at once ask for one refresh, not one each.
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(200)
        self._soon.timeout.connect(self.refresh)
        self._reader = Background(self)
        self._reading = False
        self._read_again = False
        self._stopped = False
        self.refresh()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.counts_label, 1)
        top.addWidget(self.retry_failed_button)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.retry_failed_button.clicked.connect(self._retry_all)
        self.retry_button.clicked.connect(self._retry_selected)
        self.cancel_button.clicked.connect(self._cancel_selected)
        self.open_button.clicked.connect(self._open_selected)
        self.table.doubleClicked.connect(self._open_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

    def start(self) -> None:
        """Refresh every second, for jobs other desktops queue and run."""
        self._stopped = False
        self.timer.start()

    @Slot()
    def refresh_soon(self) -> None:
        """Refresh within 200 ms, once however often it is asked."""
        if not self._soon.isActive():
            self._soon.start()

    @Slot()
    def refresh(self) -> None:
        """Read the counts and the recent jobs again, off the GUI thread.

        A refresh asked for while one is reading runs once it is done.
        """
        if self._stopped:
            return
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        db = self._db
        self._reader.run(
            lambda: (jobs.stats(db), jobs.recent(db, RECENT_JOBS)),
            self._show,
            self._read_failed,
        )

    def _show(self, read: tuple[QueueStats, list[JobRecord]]) -> None:
        selected = self.selected_job()
        self.stats, recent = read
        self.counts_label.setText(summary(self.stats))
        self.model.set_jobs(recent)
        if selected is not None:
            self._select(selected.id)
        self._update_buttons()
        self._read_done()
        self.refreshed.emit()

    def _read_failed(self, exc: BaseException) -> None:
        log.warning("Could not read the queue: %s", exc)
        self.counts_label.setText("Queue: cannot be read just now; retrying")
        self._read_done()

    def _read_done(self) -> None:
        self._reading = False
        if self._read_again:
            self._read_again = False
            self.refresh()

    def stop(self) -> None:
        """Stop refreshing and wait for a read in progress (before closing).

        Until :meth:`start`, refreshes asked for (a job finishing, say) are
        ignored: a read must not outlive the window it reads for.
        """
        self._stopped = True
        self.timer.stop()
        self._soon.stop()
        self._reader.wait()

    def _select(self, job_id: int) -> None:
        for row in range(self.model.rowCount()):
            job = self.model.job(row)
            if job is not None and job.id == job_id:
                self.table.selectRow(row)
                return

    def selected_job(self) -> JobRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.job(rows[0].row()) if rows else None

    @Slot()
    def _update_buttons(self) -> None:
        job = self.selected_job()
        counts = self.stats.counts if self.stats else {}
        self.retry_failed_button.setEnabled(counts.get(JobStatus.FAILED, 0) > 0)
        self.retry_button.setEnabled(job is not None and job.status is JobStatus.FAILED)
        active = job is not None and job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
        self.cancel_button.setEnabled(active)
        self.open_button.setEnabled(job is not None)

    @Slot()
    def _retry_all(self) -> None:
        jobs.retry(self._db)
        self.queue_changed.emit()
        self.refresh()

    @Slot()
    def _retry_selected(self) -> None:
        job = self.selected_job()
        if job is not None:
            jobs.retry(self._db, [job.id])
            self.queue_changed.emit()
            self.refresh()

    @Slot()
    def _cancel_selected(self) -> None:
        job = self.selected_job()
        if job is not None:
            jobs.cancel(self._db, job.id)
            self.queue_changed.emit()
            self.refresh()

    @Slot()
    def _open_selected(self) -> None:
        job = self.selected_job()
        if job is not None:
            self.open_packet.emit(job.client_id, job.packet_type)
