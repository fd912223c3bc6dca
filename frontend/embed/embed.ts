// <changemakers-gallery city programme theme lang limit accent heading-level>: a city's gallery of approved campaigns as a web
// component, for websites whose editor keeps <script> tags. Plain
// TypeScript, no framework, one small file. It renders into a shadow root
// from the public JSON API, keeps its light-DOM content (a link to the
// gallery) as the fallback, sets no cookies and stores nothing. It also
// resizes this platform's gallery iframes on the same page, trusting
// messages from the platform's own origin only.

type Cover = { urls: Record<string, string>; alt: string; dominant_color?: string | null; width?: number | null; height?: number | null };
type Item = {
  slug: string;
  title: string;
  summary: string;
  theme: string;
  hashtag?: string | null;
  team_name: string;
  city: { name: string };
  cover?: Cover | null;
  people_reached: number;
};
type Page = { items: Item[]; next_cursor?: string | null };

const script = document.currentScript as HTMLScriptElement | null;
const ORIGIN = new URL(script?.src || location.href).origin;

// more, reached, by, new tab, empty, error, themes (urban_spaces, online_life, families, youth, civil_servants, community)
const TEXTS: Record<string, string[]> = {
  en: ['Show more campaigns', '{n} people reached', 'by', 'opens in a new tab', 'No campaigns here yet. Come back soon!', 'The campaigns could not be loaded.', 'Urban spaces', 'Online life', 'Families', 'Youth', 'Civil servants', 'Community'],
  nb: ['Vis flere kampanjer', '{n} personer nådd', 'av', 'åpnes i en ny fane', 'Ingen kampanjer her ennå. Kom tilbake snart!', 'Kampanjene kunne ikke lastes.', 'Byrom', 'Livet på nett', 'Familier', 'Ungdom', 'Offentlig ansatte', 'Lokalsamfunn'],
  sv: ['Visa fler kampanjer', '{n} personer nådda', 'av', 'öppnas i en ny flik', 'Inga kampanjer här än. Kom tillbaka snart!', 'Kampanjerna kunde inte laddas.', 'Stadsrum', 'Livet på nätet', 'Familjer', 'Unga', 'Offentliganställda', 'Lokalsamhälle'],
  da: ['Vis flere kampagner', '{n} personer nået', 'af', 'åbner i en ny fane', 'Ingen kampagner her endnu. Kom snart tilbage!', 'Kampagnerne kunne ikke indlæses.', 'Byrum', 'Livet online', 'Familier', 'Unge', 'Offentligt ansatte', 'Lokalsamfund'],
  fi: ['Näytä lisää kampanjoita', '{n} ihmistä tavoitettu', 'tekijä:', 'avautuu uudelle välilehdelle', 'Täällä ei ole vielä kampanjoita. Tule pian takaisin!', 'Kampanjoita ei voitu ladata.', 'Kaupunkitilat', 'Elämä verkossa', 'Perheet', 'Nuoret', 'Julkishallinnon työntekijät', 'Yhteisö'],
  is: ['Sýna fleiri herferðir', '{n} manns náð', 'eftir', 'opnast í nýjum flipa', 'Engar herferðir hér enn. Komdu fljótlega aftur!', 'Ekki tókst að hlaða herferðunum.', 'Borgarrými', 'Lífið á netinu', 'Fjölskyldur', 'Ungt fólk', 'Opinberir starfsmenn', 'Samfélagið'],
};
const THEMES = ['urban_spaces', 'online_life', 'families', 'youth', 'civil_servants', 'community'];

const STYLE = `:host{display:block;--accent:#c2185b;--on:#fff;color:inherit;font:inherit}
ul{list-style:none;margin:0;padding:0;display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,240px),1fr))}
article{position:relative;height:100%;border-radius:12px;overflow:hidden;background:color-mix(in srgb,currentColor 6%,transparent)}
img,.blank{display:block;width:100%;height:auto;aspect-ratio:3/2;object-fit:cover;background:var(--accent)}
div{padding:10px 12px 12px}.t{font-size:1.05em;margin:0 0 4px;line-height:1.3}
.t a{color:inherit;text-decoration:none}.t a::after{content:"";position:absolute;inset:0}.t a:hover{text-decoration:underline}
article:focus-within{outline:3px solid var(--accent);outline-offset:2px}a:focus{outline:none}
p{margin:0 0 6px}small{display:block;opacity:.8}
.tag{display:inline-block;font-size:.8em;border-radius:999px;padding:0 8px;background:var(--accent);color:var(--on)}
button{margin-top:12px;padding:10px 16px;border:0;border-radius:999px;background:var(--accent);color:var(--on);font:inherit;font-weight:600;cursor:pointer}
button:focus-visible{outline:3px solid currentColor;outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

function h(tag: string, attrs: Record<string, string | number | null | undefined> = {}, ...children: (Node | string)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null && v !== '') el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/** The language of the element, from its `lang` or the nearest `[lang]`. */
function language(el: HTMLElement): string {
  const tag = (el.getAttribute('lang') || el.closest('[lang]')?.getAttribute('lang') || 'en').toLowerCase().split(/[-_]/)[0];
  const primary = tag === 'no' || tag === 'nn' ? 'nb' : tag;
  return TEXTS[primary] ? primary : 'en';
}

/** Black or white, whichever reads better on `hex`. */
function onAccent(hex: string): string {
  const c = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.061 ? '#fff' : '#1b1b1f';
}

class Gallery extends HTMLElement {
  private list?: HTMLElement;
  private more?: HTMLButtonElement;
  private cursor: string | null = null;

  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.append(h('slot'));
    this.load(root);
  }

  /** Campaign titles are headings one level below the host page's section (2 unless `heading-level` says). */
  private level(): number {
    return Math.min(Math.max(parseInt(this.getAttribute('heading-level') || '2', 10) || 2, 2), 6);
  }

  private query(): string {
    const q = new URLSearchParams();
    const map: Record<string, string> = { city: 'city', programme: 'programme_id', theme: 'theme' };
    for (const [attr, name] of Object.entries(map)) {
      const v = this.getAttribute(attr);
      if (v) q.set(name, v);
    }
    const limit = Math.min(Math.max(parseInt(this.getAttribute('limit') || '12', 10) || 12, 1), 24);
    q.set('limit', String(limit));
    if (this.cursor) q.set('cursor', this.cursor);
    return q.toString();
  }

  private async load(root: ShadowRoot) {
    const lang = language(this);
    const t = TEXTS[lang];
    let page: Page;
    try {
      const response = await fetch(`${ORIGIN}/api/v1/public/campaigns?${this.query()}`, { credentials: 'omit' });
      if (!response.ok) throw new Error(String(response.status));
      page = await response.json();
    } catch {
      // The light-DOM link stays; say why, once.
      if (!this.list) root.append(h('p', { role: 'status' }, t[5]));
      if (this.more) this.more.disabled = false;
      return;
    }
    if (!this.list) {
      const accent = /^#[0-9a-f]{6}$/i.test(this.getAttribute('accent') || '') ? this.getAttribute('accent')! : '#c2185b';
      const style = h('style', {}, `${STYLE}:host{--accent:${accent};--on:${onAccent(accent)}}`);
      this.list = h('ul', { role: 'list' });
      root.replaceChildren(style, this.list);
      if (!page.items.length) root.append(h('p', {}, t[4]));
    }
    const format = new Intl.NumberFormat(lang === 'nb' ? 'nb-NO' : lang);
    for (const item of page.items) {
      const href = `${ORIGIN}/c/${encodeURIComponent(item.slug)}`;
      const cover = item.cover;
      const srcset = cover ? Object.entries(cover.urls).filter(([k]) => /^w\d+$/.test(k)).map(([k, u]) => `${ORIGIN}${u} ${k.slice(1)}w`).join(', ') : '';
      const picture = cover
        ? h('img', { src: ORIGIN + (cover.urls.w320 ?? Object.values(cover.urls)[0]), srcset, sizes: '(min-width: 60em) 33vw, (min-width: 40em) 50vw, 100vw', width: cover.width, height: cover.height, alt: cover.alt, loading: 'lazy', style: cover.dominant_color ? `background:${cover.dominant_color}` : null })
        : h('span', { class: 'blank' });
      const meta = `${t[2]} ${item.team_name} · ${item.city.name}${item.hashtag ? ` · #${item.hashtag}` : ''}`;
      const text = h('div', {}, h('span', { class: 'tag' }, t[6 + THEMES.indexOf(item.theme)] ?? item.theme), h(`h${this.level()}`, { class: 't' }, h('a', { href, target: '_blank', rel: 'noopener' }, item.title, h('span', { class: 'sr' }, ` (${t[3]})`))), h('p', {}, item.summary), h('small', {}, meta));
      if (item.people_reached > 0) text.append(h('small', {}, t[1].replace('{n}', format.format(item.people_reached))));
      this.list.append(h('li', {}, h('article', {}, picture, text)));
    }
    this.cursor = page.next_cursor ?? null;
    if (this.cursor && !this.more) {
      this.more = h('button', { type: 'button' }, t[0]) as HTMLButtonElement;
      this.more.onclick = () => {
        this.more!.disabled = true;
        const first = this.list!.children.length;
        this.load(root).then(() => (this.list!.children[first]?.querySelector('a') as HTMLElement | null)?.focus());
      };
      root.append(this.more);
    }
    if (this.more) {
      this.more.disabled = false;
      this.more.hidden = !this.cursor;
    }
  }
}

if (!customElements.get('changemakers-gallery')) customElements.define('changemakers-gallery', Gallery);

// Gallery iframes of this platform on the page grow to their content.
addEventListener('message', (event: MessageEvent) => {
  const data = event.data;
  if (event.origin !== ORIGIN || !data || data.type !== 'changemakers:resize' || typeof data.height !== 'number') return;
  for (const frame of document.querySelectorAll('iframe')) {
    if (frame.contentWindow === event.source) frame.style.height = `${Math.min(Math.max(data.height, 100), 20000)}px`;
  }
});
export {};
