/** The dashboard's one stylesheet (`/static/app.css`): system fonts, calm colours, readable tables. */
export const APP_CSS = `
:root { --fg: #1d232a; --muted: #66707a; --line: #dde2e7; --bg: #fbfcfd; --card: #fff;
  --ok: #1e7b46; --warn: #9a6200; --bad: #b3261e; --link: #1f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--card); }
header .brand { font-weight: 600; color: var(--fg); text-decoration: none; }
header nav { display: flex; gap: 1rem; flex: 1; }
header nav a { color: var(--muted); text-decoration: none; }
header nav a[aria-current="page"] { color: var(--fg); font-weight: 600; }
header .who { color: var(--muted); font-size: .9rem; display: flex; gap: .5rem; align-items: center; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.4rem; margin: .8rem 0; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; }
a { color: var(--link); }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .2rem 1rem 1rem; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 500; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: .86rem; }
pre.log { background: #14181c; color: #e4e8ec; padding: .8rem; border-radius: 6px; overflow: auto; max-height: 70vh; white-space: pre-wrap; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: .8rem; border: 1px solid currentColor; }
.badge.ok { color: var(--ok); } .badge.warn { color: var(--warn); } .badge.bad { color: var(--bad); } .badge.muted { color: var(--muted); }
.stats { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
form.filters { display: flex; gap: 1rem; align-items: center; margin-bottom: 1rem; }
form.filters input { padding: .3rem .5rem; font: inherit; border: 1px solid var(--line); border-radius: 4px; }
h1.mono { font-size: 1.1rem; word-break: break-all; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; min-width: 9rem; }
.stat b { display: block; font-size: 1.4rem; }
form.stacked label { display: block; margin: .7rem 0 .2rem; font-weight: 500; }
form.stacked input, form.stacked select, form.stacked textarea { width: 100%; max-width: 32rem; padding: .35rem .5rem; font: inherit; border: 1px solid var(--line); border-radius: 4px; }
form.stacked .field-error, .error { color: var(--bad); }
form.stacked [aria-invalid="true"] { border-color: var(--bad); }
button { font: inherit; padding: .35rem .9rem; border-radius: 4px; border: 1px solid var(--line); background: var(--card); cursor: pointer; }
button.primary { display: block; background: var(--link); color: #fff; border-color: var(--link); margin-top: 1rem; }
.notice { padding: .5rem 1rem; border-radius: 6px; border: 1px solid var(--ok); color: var(--ok); background: #f1faf4; }
.notice.bad { border-color: var(--bad); color: var(--bad); background: #fdf3f2; }
ul.plain { list-style: none; padding: 0; margin: 0; }
`;
