/** Herald's mark: a speech bubble with a signal, drawn inline so it needs no asset. */
export function LogoMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="herald-mark" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#6574f5" />
          <stop offset="1" stopColor="#3b45c4" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill="url(#herald-mark)" />
      <path
        d="M9 10.5h14a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2h-6.5L12 24v-3.5H9a2 2 0 0 1-2-2v-6a2 2 0 0 1 2-2z"
        fill="#fff"
      />
      <path d="M11.5 15.5h9M11.5 13h6" stroke="#4550d6" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
