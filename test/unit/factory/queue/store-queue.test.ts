import { describe } from 'vitest';
import { openStore } from '../../../../src/store/index.js';
import { queueSuite } from './queue-suite.js';

describe('the store queue on SQLite', () => queueSuite(() => openStore(':memory:')));
