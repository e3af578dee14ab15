/** A small book mark for the browser tab, served as /static/favicon.svg. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0f172a"/><path d="M8 7h7a3 3 0 0 1 3 3v15a2 2 0 0 0-2-2H8zM24 7h-3a3 3 0 0 0-3 3v15a2 2 0 0 1 2-2h4z" fill="#f8fafc"/></svg>`;
