"""The workspace the assistant acts on: projects, members and tasks.

`TaskStore` is the seam: the built-in `SqlTaskStore` keeps them in Qiao's database, and a connector to an
external project-management tool can take its place by matching the protocol.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from errors import Conflict, InvalidInput, NotFound
from knowledge import audit
from knowledge import models as m
from knowledge.db import Database
from knowledge.enums import Priority, Source, TaskStatus
from knowledge.paging import paginate
from knowledge.schemas import (
    Actor,
    Member,
    MemberCreate,
    Page,
    Project,
    ProjectCreate,
    Task,
    TaskCreate,
    TaskPatch,
    TaskQuery,
    as_id,
)

Clock = Callable[[], dt.datetime]


class TaskStore(Protocol):
    """Projects, members and tasks, wherever they live. Writes are atomic and audited."""

    def list_projects(self) -> list[Project]: ...
    def create_project(self, data: ProjectCreate, actor: Actor) -> Project:
        """Raises Conflict if the key is taken."""
        ...

    def list_members(self) -> list[Member]: ...
    def create_member(self, data: MemberCreate, actor: Actor) -> Member:
        """Raises Conflict if the key is taken."""
        ...

    def create_task(self, data: TaskCreate, actor: Actor, idempotency_key: str | None = None) -> tuple[Task, bool]:
        """Returns (task, created). The same key and body return the first task with created=False;
        the same key with another body raises Conflict; unknown project or assignee raise InvalidInput."""
        ...

    def get_task(self, task_id: int, viewer: int | None = None) -> Task:
        """Raises NotFound, also when `viewer` is set and the task is neither assigned to nor created by them."""
        ...

    def list_tasks(self, query: TaskQuery) -> Page[Task]: ...
    def update_task(self, task_id: int, patch: TaskPatch, actor: Actor) -> Task:
        """Applies the fields set in `patch`; raises NotFound or InvalidInput."""
        ...

    def delete_task(self, task_id: int, actor: Actor) -> None:
        """Raises NotFound."""
        ...


def _task_out(row: m.Task, project_key: str, assignee_name: str | None) -> Task:
    return Task(
        id=row.id,
        title=row.title,
        description=row.description,
        project_id=row.project_id,
        project_key=project_key,
        assignee_id=row.assignee_id,
        assignee_name=assignee_name,
        created_by_id=row.created_by_id,
        status=TaskStatus(row.status),
        priority=Priority(row.priority),
        due=row.due_date,
        progress=row.progress,
        source=Source(row.source),
        created_at=row.created_at,
        updated_at=row.updated_at,
        completed_at=row.completed_at,
    )


def _task_select() -> Select[m.Task, str, str | None]:
    return (
        select(m.Task, m.Project.key, m.Member.name)
        .join(m.Project, m.Task.project_id == m.Project.id)
        .outerjoin(m.Member, m.Task.assignee_id == m.Member.id)
    )


def _visible_to(member_id: int) -> ColumnElement[bool]:
    """A member's own tasks: assigned to them or created by them."""
    return or_(m.Task.assignee_id == member_id, m.Task.created_by_id == member_id)


_COMPARED = ("title", "description", "project_id", "assignee_id", "status", "priority", "due_date", "progress")


class SqlTaskStore:
    """The built-in TaskStore on Qiao's own database."""

    def __init__(self, db: Database, tz: ZoneInfo, max_page_size: int, clock: Clock | None = None) -> None:
        self.db = db
        self.tz = tz
        self.max_page_size = max_page_size
        self.clock: Clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def today(self) -> dt.date:
        return self.clock().astimezone(self.tz).date()

    # projects and members -------------------------------------------------------------------------------
    def list_projects(self) -> list[Project]:
        with self.db.read() as s:
            return [Project.model_validate(p) for p in s.scalars(select(m.Project).order_by(m.Project.id))]

    def create_project(self, data: ProjectCreate, actor: Actor) -> Project:
        with self.db.write() as s:
            if s.scalar(select(m.Project.id).where(m.Project.key == data.key)) is not None:
                raise Conflict(
                    f"project key {data.key!r} is taken: choose another key", f"项目标识 {data.key!r} 已存在"
                )
            row = m.Project(**data.model_dump())
            s.add(row)
            s.flush()
            audit.record(s, actor, "create", "project", row.id, None, audit.snapshot(row))
            return Project.model_validate(row)

    def list_members(self) -> list[Member]:
        with self.db.read() as s:
            return [Member.model_validate(p) for p in s.scalars(select(m.Member).order_by(m.Member.id))]

    def create_member(self, data: MemberCreate, actor: Actor) -> Member:
        with self.db.write() as s:
            if s.scalar(select(m.Member.id).where(m.Member.key == data.key)) is not None:
                raise Conflict(f"member key {data.key!r} is taken: choose another key", f"成员标识 {data.key!r} 已存在")
            row = m.Member(**data.model_dump())
            s.add(row)
            s.flush()
            audit.record(s, actor, "create", "member", row.id, None, audit.snapshot(row))
            return Member.model_validate(row)

    # tasks ------------------------------------------------------------------------------------------------
    def _check_refs(self, s: Session, project_id: int | None, assignee_id: int | None) -> None:
        if project_id is not None and s.get(m.Project, project_id) is None:
            raise InvalidInput(
                f"project_id {project_id} does not exist: GET /api/v1/projects lists the projects",
                f"项目 {project_id} 不存在：可用 GET /api/v1/projects 查看项目列表",
            )
        if assignee_id is not None and s.get(m.Member, assignee_id) is None:
            raise InvalidInput(
                f"assignee_id {assignee_id} does not exist: GET /api/v1/members lists the members",
                f"负责人 {assignee_id} 不存在：可用 GET /api/v1/members 查看成员列表",
            )

    def _load(self, s: Session, task_id: int, viewer: int | None = None) -> tuple[m.Task, str, str | None]:
        stmt = _task_select().where(m.Task.id == task_id)
        if viewer is not None:
            stmt = stmt.where(_visible_to(viewer))
        found = s.execute(stmt).first()
        if found is None:  # another person's task reads as missing: its existence is not theirs to know
            raise NotFound(f"task {task_id} does not exist", f"任务 {task_id} 不存在")
        task, project_key, assignee_name = found
        return task, project_key, assignee_name

    def _replay(self, s: Session, key: str, values: dict[str, Any]) -> Task | None:
        existing = s.scalar(select(m.Task).where(m.Task.idempotency_key == key))
        if existing is None:
            return None
        if any(getattr(existing, f) != values[f] for f in _COMPARED):
            raise Conflict(
                "Idempotency-Key was already used for a different task: use a new key for a new task",
                "该 Idempotency-Key 已用于另一个任务：新任务请使用新的 key",
            )
        return _task_out(*self._load(s, existing.id))

    def create_task(self, data: TaskCreate, actor: Actor, idempotency_key: str | None = None) -> tuple[Task, bool]:
        values = data.model_dump()
        values["due_date"] = values.pop("due")
        now = self.clock()
        if data.status is TaskStatus.done:
            values["progress"] = 100
            values["completed_at"] = now
        try:
            with self.db.write() as s:
                if idempotency_key and (replayed := self._replay(s, idempotency_key, values)) is not None:
                    return replayed, False
                self._check_refs(s, data.project_id, data.assignee_id)
                row = m.Task(
                    **values,
                    created_by_id=actor.member_id,
                    idempotency_key=idempotency_key,
                    created_at=now,
                    updated_at=now,
                )
                s.add(row)
                s.flush()
                audit.record(s, actor, "create", "task", row.id, None, audit.snapshot(row))
                return _task_out(*self._load(s, row.id)), True
        except IntegrityError:
            # Another writer inserted the same key between our check and our insert (servers without
            # SQLite's write lock): the first one wins, and this request replays it.
            if not idempotency_key:
                raise
            with self.db.read() as s:
                replayed = self._replay(s, idempotency_key, values)
            if replayed is None:
                raise
            return replayed, False

    def get_task(self, task_id: int, viewer: int | None = None) -> Task:
        with self.db.read() as s:
            return _task_out(*self._load(s, task_id, viewer))

    def list_tasks(self, query: TaskQuery) -> Page[Task]:
        with self.db.read() as s:
            stmt = _task_select()
            if query.project is not None:
                stmt = stmt.where(m.Task.project_id == self._resolve(s, m.Project, query.project, "project"))
            if query.assignee is not None:
                stmt = stmt.where(m.Task.assignee_id == self._resolve(s, m.Member, query.assignee, "assignee"))
            if query.status:
                stmt = stmt.where(m.Task.status.in_([st.value for st in query.status]))
            if query.overdue is not None:
                late = (m.Task.due_date < self.today()) & (m.Task.status != TaskStatus.done.value)
                stmt = stmt.where(late if query.overdue else ~late | m.Task.due_date.is_(None))
            if query.due_before is not None:
                stmt = stmt.where(m.Task.due_date <= query.due_before)
            if query.visible_to is not None:
                stmt = stmt.where(_visible_to(query.visible_to))
            rows, total, next_cursor = paginate(
                s,
                stmt,
                m.Task.id,
                limit=query.limit,
                offset=query.offset,
                cursor=query.cursor,
                max_limit=self.max_page_size,
            )
            return Page[Task](
                items=[_task_out(r[0], r[1], r[2]) for r in rows],
                total=total,
                limit=query.limit,
                offset=query.offset,
                next_cursor=next_cursor,
            )

    def _resolve(self, s: Session, model: type[m.Project] | type[m.Member], ref: str, what: str) -> int:
        ref = ref.strip()
        as_number = as_id(ref)
        row_id = (
            s.scalar(select(model.id).where(model.id == as_number))
            if as_number is not None
            else s.scalar(select(model.id).where(model.key == ref))
        )
        if row_id is None:
            listing = "projects" if what == "project" else "members"
            raise InvalidInput(
                f"{what} {ref!r} matches no id or key: GET /api/v1/{listing} lists them",
                f"{'项目' if what == 'project' else '成员'} {ref!r} 不存在：可用 GET /api/v1/{listing} 查看",
            )
        return row_id

    def update_task(self, task_id: int, patch: TaskPatch, actor: Actor) -> Task:
        changes = patch.model_dump(exclude_unset=True)
        for required in ("title", "project_id", "status", "priority", "progress"):
            if required in changes and changes[required] is None:
                raise InvalidInput(f"{required} cannot be null", f"{required} 不能为空")
        with self.db.write() as s:
            row, _, _ = self._load(s, task_id, actor.viewer)
            self._check_refs(s, changes.get("project_id"), changes.get("assignee_id"))
            before = audit.snapshot(row)
            if "due" in changes:
                changes["due_date"] = changes.pop("due")
            status = changes.get("status")
            if status is not None and status != row.status:
                if status == TaskStatus.done:
                    row.completed_at = self.clock()
                    changes.setdefault("progress", 100)
                elif row.status == TaskStatus.done:
                    row.completed_at = None
            for field, value in changes.items():
                setattr(row, field, value)
            row.updated_at = self.clock()
            s.flush()
            audit.record(s, actor, "update", "task", row.id, before, audit.snapshot(row))
            return _task_out(*self._load(s, task_id))

    def delete_task(self, task_id: int, actor: Actor) -> None:
        with self.db.write() as s:
            row, _, _ = self._load(s, task_id, actor.viewer)
            audit.record(s, actor, "delete", "task", row.id, audit.snapshot(row), None)
            s.delete(row)
