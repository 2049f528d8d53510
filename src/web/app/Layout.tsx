// The frame around every page: a top bar and the footer with DB-IP's credit, which the
// CC BY 4.0 licence of the bundled geolocation data requires.
import type { ComponentChildren } from 'preact';
import { Link } from '../ui/Link.js';

export function Layout(props: { children: ComponentChildren; nav?: ComponentChildren; home?: string }) {
  return (
    <div class="layout">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href={props.home ?? '/'} class="brand">
          <span class="brand-mark" aria-hidden="true" />
          Footfall
        </Link>
        {props.nav && <nav class="topnav">{props.nav}</nav>}
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
      <footer class="footer">
        <a href="https://db-ip.com" rel="noopener noreferrer" target="_blank">
          IP geolocation by DB-IP
        </a>
      </footer>
    </div>
  );
}
