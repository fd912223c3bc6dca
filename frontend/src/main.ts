import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { startI18n } from './lib/i18n/index.svelte';

const target = document.getElementById('app');
// The first screen is in the person's language from its first frame.
if (target) startI18n().finally(() => mount(App, { target }));
