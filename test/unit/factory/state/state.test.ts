import { describe } from 'vitest';
import { openStore } from '../../../../src/store/index.js';
import { stateSuite } from './state-suite.js';

describe('factory state on SQLite', () => stateSuite(() => openStore(':memory:')));
