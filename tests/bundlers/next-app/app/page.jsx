import Check from "./check.jsx";

export default function Page() {
  return (
    <main>
      <Check />
    </main>
  );
}
