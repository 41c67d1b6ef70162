//! Service endpoints for operators: liveness, readiness and Prometheus metrics.

pub mod routes;
