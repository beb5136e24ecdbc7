"""Liveness for load balancers and the test harness."""

from fastapi import APIRouter

from unspoken.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> Health:
    return Health(status="ok")
