"""The FastAPI application factory."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.responses import ORJSONResponse
from sqlalchemy import text

from server.accounts.routes import router as accounts_router
from server.auth.routes import router as auth_router
from server.catalog.routes import router as catalog_router
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.erp.routes import router as erp_router
from server.orders.routes import router as orders_router
from server.sync.pull import CheckpointCache
from server.sync.routes import router as sync_router

log = logging.getLogger("orderpad.server")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (default: from the environment). The schema must exist."""
    settings = settings or Settings.from_env()
    settings.check_safe_to_serve()
    engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
    app = FastAPI(
        title="Orderpad sync server",
        version="0.1.0",
        default_response_class=ORJSONResponse,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.checkpoints = CheckpointCache()

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "database": engine.dialect.name}

    for router in (
        auth_router,
        accounts_router,
        catalog_router,
        orders_router,
        sync_router,
        erp_router,
    ):
        app.include_router(router)
    return app
