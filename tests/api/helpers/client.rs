//! A typed client per person: `app.as_user(&facilitator).post(path, body)`
//! sends with the app's origin, and the reply says what it must be:
//! `.ok(200)` for the body of a success, `.problem(409, "version_conflict")`
//! for a problem with its code.

use reqwest::{Client, Method, Response};
use serde_json::Value;

use super::{assert_problem, send, TestApp};

/// One person's view of the app.
pub struct As<'a> {
    app: &'a TestApp,
    client: &'a Client,
}

/// An answer, to be checked.
pub struct Reply(Response);

impl TestApp {
    /// Requests as the person signed in on `client`.
    pub fn as_user<'a>(&'a self, client: &'a Client) -> As<'a> {
        As { app: self, client }
    }
}

impl As<'_> {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        Reply(send(self.app, self.client, method, path, body).await)
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.call(Method::DELETE, path, None).await
    }
}

impl Reply {
    pub fn status(&self) -> u16 {
        self.0.status().as_u16()
    }

    /// The JSON body of an answer with `status`.
    pub async fn ok(self, status: u16) -> Value {
        let got = self.status();
        let text = self.0.text().await.expect("body");
        assert_eq!(got, status, "{text}");
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("a JSON body")
        }
    }

    /// The problem body of an answer with `status` and `code`.
    pub async fn problem(self, status: u16, code: &str) -> Value {
        assert_problem(self.0, status, code).await
    }
}
