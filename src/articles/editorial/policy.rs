//! Who may see and change which article: editors and admins everything not deleted; writers
//! their own drafts (and may read public articles and their own).

use super::super::model::SummaryRow;
use crate::auth::CurrentUser;
use crate::domain::{Exposure, Status};
use crate::error::ApiError;
use chrono::NaiveDateTime;

/// Whether `user` may see this article in the editorial view: editors see everything that is
/// not deleted; writers see their own articles and public ones.
pub fn may_view(
    user: &CurrentUser,
    row: &SummaryRow,
    created_by: Option<i64>,
    now: NaiveDateTime,
) -> bool {
    row.status != Status::Deleted
        && (user.role.is_editor()
            || created_by == Some(user.id)
            || Exposure::of(row.status, row.published_at, now) == Exposure::Public)
}

/// Writers may change only their own drafts.
pub fn check_may_edit(
    user: &CurrentUser,
    row: &SummaryRow,
    created_by: Option<i64>,
) -> Result<(), ApiError> {
    if user.role.is_editor() {
        return Ok(());
    }
    if created_by != Some(user.id) {
        return Err(ApiError::Forbidden(
            "writers may change only their own articles".into(),
        ));
    }
    if row.status != Status::Draft {
        return Err(ApiError::Forbidden(
            "writers may change only drafts; ask an editor".into(),
        ));
    }
    Ok(())
}
