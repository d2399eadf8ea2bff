// For samples inside a library (argv[3] substring, e.g. "nm/zod"), charge time to the nearest ancestor frame outside it
const fs=require("fs");const {SourceMapConsumer}=require("source-map-js");
const dir=process.argv[2], lib=process.argv[3];const f=fs.readdirSync(dir).filter(x=>x.endsWith("cpuprofile"));
const smc=new SourceMapConsumer(JSON.parse(fs.readFileSync("dist/mlship.cjs.map","utf8")));
const cache=new Map();const src=(cf)=>{if(!cf.url.endsWith("mlship.cjs"))return "node:"+cf.functionName;const k=cf.lineNumber+":"+cf.columnNumber;if(!cache.has(k)){const o=smc.originalPositionFor({line:cf.lineNumber+1,column:cf.columnNumber});cache.set(k,(o.source||"?").replace(/^.*node_modules\//,"nm/").replace(/^(\.\.\/)+/,"")+" "+(o.name||"")+":"+o.line);}return cache.get(k);};
const agg=new Map();
for(const file of f){const p=JSON.parse(fs.readFileSync(dir+"/"+file));const byId=new Map(p.nodes.map(n=>[n.id,n]));const parent=new Map();p.nodes.forEach(n=>(n.children||[]).forEach(c=>parent.set(c,n.id)));
p.samples.forEach((s,i)=>{const t=p.timeDeltas[i]||0;let n=byId.get(s);if(!src(n.callFrame).includes(lib))return;let c=s;while(c!==undefined&&src(byId.get(c).callFrame).includes(lib))c=parent.get(c);const k=c===undefined?"(root)":src(byId.get(c).callFrame);agg.set(k,(agg.get(k)||0)+t);});}
[...agg].sort((a,b)=>b[1]-a[1]).slice(0,15).forEach(([k,t])=>console.log((t/1000/f.length).toFixed(2),k));
