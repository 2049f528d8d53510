// The dashboard's entry point (built by esbuild into /assets/app-<hash>.js).
import { render } from 'preact';
import { App } from './app/App.js';

const root = document.getElementById('app');
if (root) render(<App />, root);
