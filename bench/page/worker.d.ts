/** worker.js is loaded by URL (start({ main })), and only spawn.worker.ts imports it for its side effects. */
export {};
