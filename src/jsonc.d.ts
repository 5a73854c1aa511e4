declare module '*.jsonc' {
  const value: import('./config.ts').WranglerConfig;
  export default value;
}
