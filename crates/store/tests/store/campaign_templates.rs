//! Campaign templates on a real workspace: the built-in starters appear
//! once, stay as shipped and cannot be deleted; the user's own templates
//! are saved by name and deleted.

use herald_store::campaign_templates;
use herald_store::campaigns::TemplateId;
use herald_store::StoreError;

use crate::helpers::fresh_store;

#[tokio::test]
async fn the_starters_are_listed_once_however_often_they_are_ensured() {
    let (_dir, store) = fresh_store().await;
    campaign_templates::ensure_builtins(&store).await.unwrap();
    campaign_templates::ensure_builtins(&store).await.unwrap();
    let all = campaign_templates::list(&store).await.unwrap();
    let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["Newsletter", "Announcement", "Plain letter", "Promotion"]
    );
    for summary in &all {
        assert!(summary.builtin);
        assert!(summary.thumbnail.as_deref().unwrap().starts_with("<svg"));
        let t = campaign_templates::get(&store, summary.id).await.unwrap();
        assert!(t.html.contains("{{ unsubscribe_url }}"), "{}", summary.name);
        assert!(t.html.contains("600"), "{}", summary.name);
        assert!(t.html.contains("max-width: 620px"), "{}", summary.name);
    }
    assert_eq!(campaign_templates::list(&store).await.unwrap(), all);
}

#[tokio::test]
async fn a_starter_changed_in_the_workspace_is_restored() {
    let (_dir, store) = fresh_store().await;
    let first = campaign_templates::list(&store).await.unwrap()[0].clone();
    sqlx::query("UPDATE campaign_templates SET html = 'broken' WHERE id = ?")
        .bind(first.id.as_uuid())
        .execute(store.pool())
        .await
        .unwrap();
    let restored = campaign_templates::get(&store, first.id).await.unwrap();
    assert_ne!(restored.html, "broken");
}

#[tokio::test]
async fn starters_cannot_be_deleted_or_overwritten() {
    let (_dir, store) = fresh_store().await;
    let newsletter = campaign_templates::list(&store).await.unwrap()[0].clone();
    let err = campaign_templates::delete(&store, newsletter.id)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.contains("built-in")),
        "{err:?}"
    );
    let err = campaign_templates::save(&store, "newsletter", "<p>mine</p>")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(campaign_templates::list(&store).await.unwrap().len(), 4);
}

#[tokio::test]
async fn the_users_templates_are_saved_by_name_and_deleted() {
    let (_dir, store) = fresh_store().await;
    let saved = campaign_templates::save(&store, " Monthly ", "<p>v1</p>")
        .await
        .unwrap();
    assert_eq!(saved.summary.name, "Monthly");
    assert!(!saved.summary.builtin);
    assert_eq!(saved.summary.thumbnail, None);
    let again = campaign_templates::save(&store, "monthly", "<p>v2</p>")
        .await
        .unwrap();
    assert_eq!(again.summary.id, saved.summary.id);
    assert_eq!(again.html, "<p>v2</p>");
    let list = campaign_templates::list(&store).await.unwrap();
    assert_eq!(list.len(), 5);
    assert_eq!(list[4].name, "monthly");

    let unnamed = campaign_templates::save(&store, " ", "<p>x</p>")
        .await
        .unwrap_err();
    assert!(matches!(unnamed, StoreError::Validation { ref field, .. } if field == "name"));
    let empty = campaign_templates::save(&store, "Empty", " ")
        .await
        .unwrap_err();
    assert!(matches!(empty, StoreError::Validation { ref field, .. } if field == "html"));

    campaign_templates::delete(&store, saved.summary.id)
        .await
        .unwrap();
    assert_eq!(campaign_templates::list(&store).await.unwrap().len(), 4);
    let gone = campaign_templates::get(&store, saved.summary.id).await;
    assert!(matches!(gone, Err(StoreError::NotFound(_))));
    let unknown = campaign_templates::delete(&store, TemplateId::new()).await;
    assert!(matches!(unknown, Err(StoreError::NotFound(_))));
}
