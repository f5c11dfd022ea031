//! HTTP API routes: `method` + a path pattern such as `/messages/{id}`. The
//! provider validates them when a program declares them; the local server
//! matches requests against them, with one `matchit` tree per method.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub(crate) const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// One route of an HTTP API, as declared and as stored in `apis/<name>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Route {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) function: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
}

/// A parsed path pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    segments: Vec<Segment>,
}

fn valid_param_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Pattern {
    pub(crate) fn parse(path: &str) -> Result<Self, String> {
        let Some(rest) = path.strip_prefix('/') else {
            return Err(format!("path '{path}' must start with '/'"));
        };
        if path.contains(['?', '#']) {
            return Err(format!("path '{path}' must not contain a query or fragment"));
        }
        let mut segments = Vec::new();
        let mut params = BTreeSet::new();
        // "/" is the API's root; otherwise every segment is non-empty.
        for segment in rest.split('/').filter(|_| !rest.is_empty()) {
            if segment.is_empty() {
                return Err(format!("path '{path}' has an empty segment"));
            }
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                if !valid_param_name(name) {
                    return Err(format!(
                        "path '{path}': parameter '{{{name}}}' needs a name of letters, digits and '_'"
                    ));
                }
                if !params.insert(name.to_string()) {
                    return Err(format!("path '{path}': parameter '{{{name}}}' appears twice"));
                }
                segments.push(Segment::Param(name.into()));
            } else if segment.contains(['{', '}']) {
                return Err(format!(
                    "path '{path}': a parameter must be a whole segment, like '/{{id}}'"
                ));
            } else {
                segments.push(Segment::Literal(segment.into()));
            }
        }
        Ok(Self { segments })
    }

    /// The same for every pattern that matches the same requests (`/a/{x}` and `/a/{y}`).
    pub(crate) fn shape(&self) -> String {
        let parts: Vec<&str> = self
            .segments
            .iter()
            .map(|segment| match segment {
                Segment::Literal(text) => text.as_str(),
                Segment::Param(_) => "{}",
            })
            .collect();
        format!("/{}", parts.join("/"))
    }

    /// The pattern in `matchit`'s syntax, its literal segments escaped as
    /// request paths are (see [`escape`]).
    fn to_matchit(&self) -> String {
        let parts: Vec<String> = self
            .segments
            .iter()
            .map(|segment| match segment {
                Segment::Literal(text) => escape(text),
                Segment::Param(name) => format!("{{{name}}}"),
            })
            .collect();
        format!("/{}", parts.join("/"))
    }

    /// Orders overlapping patterns: a literal segment wins over a parameter,
    /// from the left (`/messages/latest` before `/messages/{id}`).
    fn specificity(&self) -> Vec<bool> {
        self.segments.iter().map(|segment| matches!(segment, Segment::Literal(_))).collect()
    }
}

/// Splits a request path (below the API's base) into decoded segments; a
/// trailing slash is ignored.
pub(crate) fn split_path(path: &str) -> Vec<String> {
    let trimmed = path.trim_start_matches('/');
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        return Vec::new();
    }
    trimmed
        .split('/')
        .map(|segment| {
            percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
        })
        .collect()
}

/// A decoded segment as `matchit` sees it: `%` and `/` percent-encoded, so a
/// decoded `/` stays inside its segment and `%` means only an escape.
fn escape(segment: &str) -> String {
    segment.replace('%', "%25").replace('/', "%2F")
}

fn unescape(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// Every problem with a list of routes, each with the index of the route it concerns.
pub(crate) fn validate(
    routes: &[Route],
    known_function: impl Fn(&str) -> bool,
) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    let mut seen = BTreeMap::new();
    for (index, route) in routes.iter().enumerate() {
        if !METHODS.contains(&route.method.as_str()) {
            problems.push((
                index,
                format!("method '{}' is not one of {}", route.method, METHODS.join(", ")),
            ));
        }
        match Pattern::parse(&route.path) {
            Ok(pattern) => {
                if let Some(first) = seen.insert((route.method.clone(), pattern.shape()), index) {
                    problems.push((
                        index,
                        format!(
                            "{} {} is the same route as routes[{first}]",
                            route.method, route.path
                        ),
                    ));
                }
            }
            Err(problem) => problems.push((index, problem)),
        }
        if !known_function(&route.function) {
            problems.push((
                index,
                format!("function '{}' is not a valid Function name", route.function),
            ));
        }
    }
    problems
}

/// Routes ready to match requests.
#[derive(Debug, Clone, Default)]
pub(crate) struct Router {
    /// Most specific first; the trees' values index into it.
    routes: Vec<Route>,
    trees: BTreeMap<String, matchit::Router<usize>>,
}

/// How a request matched.
#[derive(Debug, PartialEq)]
pub(crate) enum Match<'a> {
    Found {
        route: &'a Route,
        params: BTreeMap<String, String>,
    },
    /// The path is known, under other methods.
    MethodNotAllowed(Vec<String>),
    NotFound,
}

impl Router {
    /// Routes that do not parse are left out (they were validated on deploy);
    /// of two routes with the same method and shape, the first is kept.
    pub(crate) fn new(routes: Vec<Route>) -> Self {
        let mut parsed: Vec<(Route, Pattern)> = routes
            .into_iter()
            .filter_map(|route| Pattern::parse(&route.path).ok().map(|pattern| (route, pattern)))
            .collect();
        parsed.sort_by_key(|(_, pattern)| std::cmp::Reverse(pattern.specificity()));
        let mut router = Self::default();
        for (route, pattern) in parsed {
            let tree = router.trees.entry(route.method.clone()).or_default();
            if tree.insert(pattern.to_matchit(), router.routes.len()).is_ok() {
                router.routes.push(route);
            }
        }
        router
    }

    pub(crate) fn find(&self, method: &str, path: &str) -> Match<'_> {
        let segments: Vec<String> = split_path(path).iter().map(|s| escape(s)).collect();
        let path = format!("/{}", segments.join("/"));
        if let Some(found) = self.trees.get(method).and_then(|tree| tree.at(&path).ok()) {
            let params = found.params.iter().map(|(k, v)| (k.to_string(), unescape(v))).collect();
            return Match::Found { route: &self.routes[*found.value], params };
        }
        // The other methods, in the order their matching routes rank.
        let mut allowed: Vec<usize> = self
            .trees
            .iter()
            .filter(|(other, _)| *other != method)
            .filter_map(|(_, tree)| tree.at(&path).ok().map(|found| *found.value))
            .collect();
        allowed.sort_unstable();
        if allowed.is_empty() {
            Match::NotFound
        } else {
            Match::MethodNotAllowed(
                allowed.iter().map(|i| self.routes[*i].method.clone()).collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: &str, path: &str) -> Route {
        Route { method: method.into(), path: path.into(), function: "f".into() }
    }

    #[test]
    fn patterns_parse_or_say_why_not() {
        assert!(Pattern::parse("/").is_ok());
        assert!(Pattern::parse("/messages/{id}").is_ok());
        for bad in ["messages", "/a//b", "/a/{id", "/a/x{id}", "/{a}/{a}", "/{1x}", "/a?b"] {
            assert!(Pattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn validation_names_each_problem() {
        let routes = [
            route("GET", "/a/{x}"),
            route("GET", "/a/{y}"),
            route("FETCH", "/b"),
            route("POST", "b"),
        ];
        let problems = validate(&routes, |_| true);
        let indexes: Vec<usize> = problems.iter().map(|(index, _)| *index).collect();
        assert_eq!(indexes, [1, 2, 3], "{problems:?}");
    }

    #[test]
    fn literal_segments_win_and_other_methods_are_reported() {
        let router = Router::new(vec![
            route("GET", "/messages/{id}"),
            route("GET", "/messages/latest"),
            route("POST", "/messages"),
        ]);
        match router.find("GET", "/messages/latest") {
            Match::Found { route, params } => {
                assert_eq!((route.path.as_str(), params.len()), ("/messages/latest", 0))
            }
            other => panic!("{other:?}"),
        }
        match router.find("GET", "/messages/a%20b/") {
            Match::Found { params, .. } => assert_eq!(params["id"], "a b"),
            other => panic!("{other:?}"),
        }
        assert_eq!(router.find("GET", "/messages"), Match::MethodNotAllowed(vec!["POST".into()]));
        assert_eq!(router.find("GET", "/nothing"), Match::NotFound);
    }

    #[test]
    fn decoded_slashes_and_percents_stay_inside_their_segment() {
        let router = Router::new(vec![route("GET", "/files/{name}"), route("GET", "/100%/{x}")]);
        match router.find("GET", "/files/a%2Fb%25c") {
            Match::Found { params, .. } => assert_eq!(params["name"], "a/b%c"),
            other => panic!("{other:?}"),
        }
        match router.find("GET", "/100%25/y") {
            Match::Found { route, params } => {
                assert_eq!((route.path.as_str(), params["x"].as_str()), ("/100%/{x}", "y"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(router.find("GET", "/files/a/b"), Match::NotFound);
    }

    #[test]
    fn other_methods_are_listed_most_specific_route_first() {
        let router = Router::new(vec![
            route("GET", "/a/{x}/c"),
            route("PUT", "/{y}/b/c"),
            route("DELETE", "/a/b/c"),
        ]);
        assert_eq!(
            router.find("POST", "/a/b/c"),
            Match::MethodNotAllowed(vec!["DELETE".into(), "GET".into(), "PUT".into()])
        );
        match router.find("PUT", "/a/b/c") {
            Match::Found { route, params } => {
                assert_eq!((route.path.as_str(), params["y"].as_str()), ("/{y}/b/c", "a"))
            }
            other => panic!("{other:?}"),
        }
    }
}
