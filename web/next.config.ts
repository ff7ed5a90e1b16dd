import type { NextConfig } from 'next';

// A static export: the control plane serves these files on app.<domain> and <slug>.<domain>;
// there is no Node server for the web app in production.
const config: NextConfig = {
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
  productionBrowserSourceMaps: false,
  // Money, dates and holidays come from the shared TypeScript sources, not their Node build.
  transpilePackages: ['@localstore/common'],
};

export default config;
