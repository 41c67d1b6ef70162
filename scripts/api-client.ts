// A small client of the newsdesk API written against the types openapi-typescript generates
// from openapi/openapi.json: if the document changes shape, this stops compiling.
import type { components, paths } from "./api";

type Schemas = components["schemas"];
type Feed =
  paths["/api/v1/articles"]["get"]["responses"][200]["content"]["application/json"];
type Problem = Schemas["Problem"];

/** The newest headlines of a section, in one language. */
export async function headlines(
  base: string,
  section: string,
  lang: Schemas["Lang"],
): Promise<string[]> {
  const url = `${base}/api/v1/sections/${section}/articles?lang=${lang}&limit=20`;
  const res = await fetch(url);
  if (!res.ok) {
    const problem = (await res.json()) as Problem;
    throw new Error(`${problem.code}: ${problem.detail}`);
  }
  const feed = (await res.json()) as Feed;
  if ("count" in feed) {
    return [];
  }
  return feed.data.map((a: Schemas["ArticleSummary"]) => `${a.title} (${a.views} views)`);
}

/** Creates a draft as an editor and answers its id. */
export async function draft(base: string, token: string, title: string): Promise<number> {
  const body: Schemas["NewArticleRequest"] = { title, lang: "en", section: "world" };
  const res = await fetch(`${base}/api/v1/articles`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const created = (await res.json()) as Schemas["EditorialArticle"];
  return created.id;
}
