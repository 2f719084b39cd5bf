import {createRequire} from 'node:module';
import type httpModule from 'node:http';
import type httpsModule from 'node:https';

/**
 * node:http and node:https through require. Imported as ES modules, their exports are all read
 * once, lazy ones included: on Node 22 and later that loads undici (20 ms of start-up) for
 * http.WebSocket, which nothing here uses.
 */
const require = createRequire(import.meta.url);
export const http = require('node:http') as typeof httpModule;
export const https = require('node:https') as typeof httpsModule;
