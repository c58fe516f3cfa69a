"""Projects, members and tasks: /api/v1/projects, /api/v1/members, /api/v1/tasks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.auth import AdminCaller, MemberCaller
from api.deps import IdempotencyKey, TasksDep
from knowledge.enums import TaskStatus
from knowledge.schemas import (
    MAX_ID,
    Member,
    MemberCreate,
    Page,
    Project,
    ProjectCreate,
    Task,
    TaskCreate,
    TaskPatch,
    TaskQuery,
)

router = APIRouter(prefix="/api/v1", tags=["workspace"])
TaskId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/projects", response_model=list[Project], summary="List projects")
def list_projects(tasks: TasksDep, _: MemberCaller) -> list[Project]:
    return tasks.list_projects()


@router.post("/projects", response_model=Project, status_code=status.HTTP_201_CREATED, summary="Create a project")
def create_project(body: ProjectCreate, tasks: TasksDep, who: AdminCaller) -> Project:
    return tasks.create_project(body, who.actor)


@router.get("/members", response_model=list[Member], summary="List members")
def list_members(tasks: TasksDep, _: MemberCaller) -> list[Member]:
    return tasks.list_members()


@router.post("/members", response_model=Member, status_code=status.HTTP_201_CREATED, summary="Add a member")
def create_member(body: MemberCreate, tasks: TasksDep, who: AdminCaller) -> Member:
    return tasks.create_member(body, who.actor)


@router.get("/tasks", response_model=Page[Task], summary="List tasks, filtered and paged")
def list_tasks(
    tasks: TasksDep,
    who: MemberCaller,
    project: Annotated[str | None, Query(description="Project id or key, e.g. `phoenix`.")] = None,
    assignee: Annotated[str | None, Query(description="Member id or key, e.g. `zhangsan`.")] = None,
    status_: Annotated[list[TaskStatus] | None, Query(alias="status", description="Repeat for several.")] = None,
    overdue: Annotated[bool | None, Query(description="true: past due and not done.")] = None,
    due_before: Annotated[dt.date | None, Query(description="Due on or before this date (YYYY-MM-DD).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    cursor: Annotated[str | None, Query(max_length=200, description="`next_cursor` of the previous page.")] = None,
) -> Page[Task]:
    query = TaskQuery(
        project=project,
        assignee=assignee,
        status=status_,
        overdue=overdue,
        due_before=due_before,
        visible_to=who.viewer,
        limit=limit,
        offset=offset,
        cursor=cursor,
    )
    return tasks.list_tasks(query)


@router.post(
    "/tasks",
    response_model=Task,
    status_code=status.HTTP_201_CREATED,
    summary="Create a task",
    responses={200: {"description": "Replayed: this Idempotency-Key already created the task."}},
)
def create_task(
    body: TaskCreate, tasks: TasksDep, who: MemberCaller, response: Response, idempotency_key: IdempotencyKey = None
) -> Task:
    task, created = tasks.create_task(body, who.actor, idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    return task


@router.get("/tasks/{task_id}", response_model=Task, summary="Get a task")
def get_task(task_id: TaskId, tasks: TasksDep, who: MemberCaller) -> Task:
    return tasks.get_task(task_id, who.viewer)


@router.patch("/tasks/{task_id}", response_model=Task, summary="Change some fields of a task")
def update_task(task_id: TaskId, body: TaskPatch, tasks: TasksDep, who: MemberCaller) -> Task:
    return tasks.update_task(task_id, body, who.actor)


@router.delete("/tasks/{task_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a task")
def delete_task(task_id: TaskId, tasks: TasksDep, who: MemberCaller) -> Response:
    tasks.delete_task(task_id, who.actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
